using Xunit;

namespace Gateway.Pachyderm.Tests.Hosting;

/// <summary>One LocalPachd (and a client for it) shared by the tests of a class; tests use their own repo names.</summary>
public abstract class PachdFixture : IAsyncLifetime
{
    private IPachdHost? _host;
    private PachClient? _client;
    private string? _dataDirectory;

    protected PachdFixture(PachdLauncher launcher) => Launcher = launcher;

    /// <summary>How this fixture starts servers (also used by tests that need a server of their own).</summary>
    public PachdLauncher Launcher { get; }

    /// <summary>The shared server.</summary>
    public IPachdHost Host => _host ?? throw new InvalidOperationException("Fixture not started.");

    /// <summary>A client for the shared server, without a token.</summary>
    public PachClient Client => _client ?? throw new InvalidOperationException("Fixture not started.");

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        _dataDirectory = PachdLauncher.NewDataDirectory();
        _host = await Launcher.StartAsync(_dataDirectory);
        _client = PachClient.Create(_host.ClientOptions());
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (_dataDirectory is not null)
        {
            PachdLauncher.DeleteDataDirectory(_dataDirectory);
        }
    }
}

/// <summary>LocalPachd hosted in the test process.</summary>
public sealed class InProcessPachdFixture() : PachdFixture(new InProcessPachdLauncher());

/// <summary>LocalPachd hosted in the test process, its client connected over in-memory pipes (as the gateway's).</summary>
public sealed class InProcessPipesPachdFixture() : PachdFixture(new InProcessPachdLauncher(pipes: true));

/// <summary>LocalPachd as a child process.</summary>
public sealed class ProcessPachdFixture() : PachdFixture(new ProcessPachdLauncher());
