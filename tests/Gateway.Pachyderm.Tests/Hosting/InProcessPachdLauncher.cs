using LocalPachd;

namespace Gateway.Pachyderm.Tests.Hosting;

/// <summary>Runs LocalPachd inside the test process (its library entry point) on an ephemeral loopback port.</summary>
public sealed class InProcessPachdLauncher : PachdLauncher
{
    /// <inheritdoc/>
    public override string Mode => "in-process";

    /// <inheritdoc/>
    public override async Task<IPachdHost> StartAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        var server = await LocalPachdServer.StartAsync(new LocalPachdOptions { DataDirectory = dataDirectory, Port = 0 }, cancellationToken);
        var host = new Host(server, server.Address, dataDirectory);
        try
        {
            await WaitUntilServingAsync(host.Address, () => true, () => string.Empty, TimeSpan.FromSeconds(30), cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private sealed class Host(IAsyncDisposable server, Uri address, string dataDirectory) : IPachdHost
    {
        public Uri Address { get; } = address;

        public string DataDirectory { get; } = dataDirectory;

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
