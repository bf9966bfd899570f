using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Integration.Tests.Support;

/// <summary>
/// The standalone gateway as a child process (<c>dotnet Gateway.Functions.dll</c> from the build output of this test's
/// configuration) on a free loopback port with its embedded LocalPachd in a temporary directory: for what only a real
/// process shows, such as its answer to SIGTERM. Ready once it logs its listening line.
/// </summary>
internal sealed class StandaloneProcess : IAsyncDisposable
{
    private const string _readyLine = "S3 gateway listening on";
    private readonly StringBuilder _output = new();
    private readonly Process _process;
    private readonly string _dataDirectory;

    private StandaloneProcess(Process process, int port, string dataDirectory)
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

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code (after <see cref="HasExited"/>).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the gateway with <paramref name="environment"/> added (PACHD_ADDRESS removed) and waits until it listens.</summary>
    public static async Task<StandaloneProcess> StartAsync(params (string Name, string Value)[] environment)
    {
        var dll = Path.Combine(AppDirectory(), "Gateway.Functions.dll");
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "gw-proc-" + Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppDirectory(),
        };
        info.ArgumentList.Add(dll);
        info.Environment.Remove("PACHD_ADDRESS");
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment["GATEWAY_MODE"] = "standalone";
        info.Environment["GATEWAY_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["GATEWAY_DATA_DIR"] = data;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var started = new StandaloneProcess(new Process { StartInfo = info }, port, data);
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
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("could not run kill");
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to end; false when it is still running.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

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
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, ready);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, ready);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(1)));
        if (done != ready.Task)
        {
            throw new InvalidOperationException($"The gateway did not start ({(done == exited ? "exited " + _process.ExitCode : "timed out")}):{Environment.NewLine}{Output}");
        }
    }

    private void OnLine(string? line, TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains(_readyLine, StringComparison.Ordinal))
        {
            ready.TrySetResult();
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
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
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
