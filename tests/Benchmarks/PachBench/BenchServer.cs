using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.Pachyderm;
using LocalPachd;

namespace PachBench;

/// <summary>The pachd under test: LocalPachd as a child process (default), in this process, or an external address.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly Process? _process;
    private readonly IAsyncDisposable? _inProcess;
    private readonly string? _dataDirectory;

    private BenchServer(Uri address, string mode, int? pid, Process? process, IAsyncDisposable? inProcess, string? dataDirectory)
    {
        Address = address;
        Mode = mode;
        ProcessId = pid;
        _process = process;
        _inProcess = inProcess;
        _dataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    public string Mode { get; }

    /// <summary>The server's pid when its memory can be measured apart from the client's.</summary>
    public int? ProcessId { get; }

    public string? DataDirectory => _dataDirectory;

    public static async Task<BenchServer> StartAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (options.Address is not null)
        {
            return new BenchServer(new Uri(options.Address.Contains("://", StringComparison.Ordinal) ? options.Address : $"http://{options.Address}"),
                "external pachd", null, null, null, null);
        }

        var data = Path.Combine(Path.GetTempPath(), "pachbench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        if (options.InProcess)
        {
            var server = await LocalPachdServer.StartAsync(new LocalPachdOptions { DataDirectory = data, Port = 0 }, cancellationToken);
            await WaitUntilServingAsync(server.Address, () => true, cancellationToken);
            return new BenchServer(server.Address, "LocalPachd in-process", Environment.ProcessId, null, server, data);
        }

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LocalPachd.dll"));
        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(data);
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start LocalPachd");
        // Drain its output so it never blocks on a full pipe; echo errors for diagnosis.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[LocalPachd] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}");
        var host = new BenchServer(address, "LocalPachd child process", process.Id, process, null, data);
        try
        {
            await WaitUntilServingAsync(address, () => !process.HasExited, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Bytes stored under the data directory (what the server wrote to disk).</summary>
    public long DataBytes() => _dataDirectory is null || !Directory.Exists(_dataDirectory)
        ? 0
        : new DirectoryInfo(_dataDirectory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    public async ValueTask DisposeAsync()
    {
        if (_inProcess is not null)
        {
            await _inProcess.DisposeAsync();
        }
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static async Task WaitUntilServingAsync(Uri address, Func<bool> running, CancellationToken cancellationToken)
    {
        using var client = PachClient.Create(address.ToString());
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (!running())
            {
                throw new InvalidOperationException("LocalPachd exited before it served.");
            }
            try
            {
                await client.GetVersionAsync(cancellationToken);
                return;
            }
            catch (PachException e) when (e.Kind == PachErrorKind.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
