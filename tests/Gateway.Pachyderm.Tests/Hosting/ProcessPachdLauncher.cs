using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Pachyderm.Tests.Hosting;

/// <summary>Runs LocalPachd as a child process: <c>dotnet LocalPachd.dll --data DIR --port N</c>.</summary>
public sealed class ProcessPachdLauncher : PachdLauncher
{
    /// <inheritdoc/>
    public override string Mode => "process";

    /// <summary>LocalPachd.dll, copied beside the tests by the project reference.</summary>
    public static string ServerAssembly => Path.Combine(AppContext.BaseDirectory, "LocalPachd.dll");

    /// <inheritdoc/>
    public override async Task<IPachdHost> StartAsync(string dataDirectory, CancellationToken cancellationToken = default) =>
        await StartProcessAsync(dataDirectory, cancellationToken);

    /// <summary>Starts the child process and waits until GetVersion answers.</summary>
    public static async Task<PachdProcess> StartProcessAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerAssembly);
        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(dataDirectory);
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var host = new PachdProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory);
        try
        {
            await WaitUntilServingAsync(host.Address, () => !process.HasExited, host.Output, TimeSpan.FromSeconds(60), cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A LocalPachd child process. Disposing (or <see cref="KillAsync"/>) ends it with SIGKILL.</summary>
public sealed class PachdProcess : IPachdHost
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    internal PachdProcess(Process process, Uri address, string dataDirectory)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
        // Drain both pipes so the child never blocks on a full pipe; keep the text for failure messages.
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <inheritdoc/>
    public Uri Address { get; }

    /// <inheritdoc/>
    public string DataDirectory { get; }

    /// <summary>The child's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the child printed so far.</summary>
    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>SIGKILL: no chance to flush or clean up (what a crash or OOM kill looks like).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
