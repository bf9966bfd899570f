using LocalPachd;

namespace Gateway.Pachyderm.Tests.Hosting;

/// <summary>
/// Runs LocalPachd inside the test process (its library entry point) on an ephemeral loopback port; with
/// <paramref name="pipes"/>, its clients connect over the in-process endpoint instead of the port.
/// </summary>
public sealed class InProcessPachdLauncher(bool pipes = false) : PachdLauncher
{
    /// <inheritdoc/>
    public override string Mode => pipes ? "in-process, pipes" : "in-process";

    /// <inheritdoc/>
    public override async Task<IPachdHost> StartAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        var server = await LocalPachdServer.StartAsync(new LocalPachdOptions { DataDirectory = dataDirectory, Port = 0 }, cancellationToken);
        var host = new Host(server, server.Address, dataDirectory, pipes);
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

    private sealed class Host(LocalPachdServer server, Uri address, string dataDirectory, bool pipes) : IPachdHost
    {
        public Uri Address { get; } = address;

        public string DataDirectory { get; } = dataDirectory;

        public PachClientOptions ClientOptions() => new() { Address = Address.ToString(), Connect = pipes ? server.ConnectAsync : null };

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
