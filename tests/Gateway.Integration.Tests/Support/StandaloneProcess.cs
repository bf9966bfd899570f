using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.TestSupport;

namespace Gateway.Integration.Tests.Support;

/// <summary>
/// The standalone gateway as a child process (<c>dotnet Gateway.Functions.dll</c> from the build output of this test's
/// configuration) on a free loopback port with its embedded LocalPachd in a temporary directory: for what only a real
/// process shows, such as its answer to SIGTERM. Ready once it logs its listening line.
/// </summary>
internal sealed class StandaloneProcess : IAsyncDisposable
{
    private const string _readyLine = "S3 gateway listening on";
    private readonly ChildProcess _process;
    private readonly string _dataDirectory;

    private StandaloneProcess(ChildProcess process, int port, string dataDirectory)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Port = port;
        BaseUri = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
    }

    /// <summary>The gateway's loopback port.</summary>
    public int Port { get; }

    /// <summary>http://127.0.0.1:port/.</summary>
    public Uri BaseUri { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The file names of the assemblies the process has mapped, from <c>/proc/&lt;pid&gt;/maps</c>.</summary>
    public IReadOnlySet<string> MappedAssemblies() =>
        File.ReadAllLines($"/proc/{ProcessId}/maps").Where(line => line.EndsWith(".dll", StringComparison.Ordinal))
            .Select(line => Path.GetFileName(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])).ToHashSet();

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code (after <see cref="HasExited"/>).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process printed so far.</summary>
    public string Output => _process.Output;

    /// <summary>Starts the gateway with <paramref name="environment"/> added (a null value removes a variable; PACHD_ADDRESS is removed) and waits until it listens.</summary>
    public static async Task<StandaloneProcess> StartAsync(params (string Name, string? Value)[] environment)
    {
        var app = AppDirectory();
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "gw-proc-" + Guid.NewGuid().ToString("N"));
        var started = new StandaloneProcess(
            ChildProcess.Start(
                "dotnet",
                [Path.Combine(app, "Gateway.Functions.dll")],
                workingDirectory: app,
                environment:
                [
                    new("PACHD_ADDRESS", null),
                    new("ASPNETCORE_URLS", null),
                    new("GATEWAY_MODE", "standalone"),
                    new("GATEWAY_PORT", port.ToString(CultureInfo.InvariantCulture)),
                    new("GATEWAY_DATA_DIR", data),
                    .. environment.Select(e => new KeyValuePair<string, string?>(e.Name, e.Value)),
                ]),
            port,
            data);
        try
        {
            await started.WaitListeningAsync();
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }

        return started;
    }

    /// <summary>Sends SIGTERM, as the kubelet does to stop a container.</summary>
    public async Task TerminateAsync()
    {
        await using var kill = ChildProcess.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(await kill.WaitForExitAsync(TimeSpan.FromSeconds(30)), "kill -TERM did not return");
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to end; false when it is still running.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>True when a new TCP connection to the gateway's port is refused.</summary>
    public async Task<bool> RefusesConnectionsAsync()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), timeout.Token);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Queued on the listener as it closed: ask again until the port refuses outright.
            return false;
        }
    }

    private async Task WaitListeningAsync()
    {
        if (await _process.WaitForLineAsync(line => line.Contains(_readyLine, StringComparison.Ordinal), TimeSpan.FromMinutes(1)) is null)
        {
            throw new InvalidOperationException($"The gateway did not start ({(_process.HasExited ? "exited " + _process.ExitCode : "timed out")}):{Environment.NewLine}{Output}");
        }
    }

    /// <summary>functions/Gateway.Functions/bin/&lt;Configuration&gt;/&lt;tfm&gt; for this test's configuration.</summary>
    private static string AppDirectory()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = testDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Gateway.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var app = Path.Combine(root.FullName, "functions", "Gateway.Functions", "bin", testDirectory.Parent!.Name, testDirectory.Name);
        Assert.True(File.Exists(Path.Combine(app, "Gateway.Functions.dll")), $"Build functions/Gateway.Functions first: {app} has no Gateway.Functions.dll.");
        return app;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            if (Directory.Exists(_dataDirectory))
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
        }
    }
}
