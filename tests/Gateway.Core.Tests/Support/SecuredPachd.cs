using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Support;

/// <summary>A LocalPachd of its own with auth activated (a test class fixture: auth cannot be turned off again).</summary>
public sealed class SecuredPachd : IAsyncLifetime
{
    private readonly PachdServer _server = new();

    /// <summary>A client without a token.</summary>
    public IPachClient Client => _server.Client;

    /// <summary>The root token: a key pachd knows.</summary>
    public string RootToken { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        RootToken = await _server.Client.ActivateAuthAsync("root-" + Guid.NewGuid().ToString("N"));
    }

    public Task DisposeAsync() => _server.DisposeAsync();
}
