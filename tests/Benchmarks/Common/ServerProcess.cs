using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.TestSupport;

namespace Gateway.Benchmarks;

/// <summary>
/// A server the benchmark programs start as a child process (<c>dotnet some.dll</c>): the gateway on its embedded
/// LocalPachd, or LocalPachd on its own (or, for S3Bench, a peer S3 server). Its output is kept for error messages
/// (tests/TestSupport/ChildProcess), reads its memory from /proc, and can be killed hard (SIGKILL) to test what
/// survives. Linked into each program of tests/Benchmarks.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly ChildProcess _process;
    private bool _killed;

    private ServerProcess(ChildProcess process) => _process = process;

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _killed || _process.HasExited;

    /// <summary>The last 50 lines the process printed.</summary>
    public string Tail => string.Join('\n', _process.Lines.TakeLast(50));

    /// <summary>Resident memory now (VmRSS), in MiB; 0 once the process is gone.</summary>
    public double RssMiB => _killed ? 0 : ReadStatusKiB("VmRSS:") / 1024.0;

    /// <summary>Peak resident memory so far (VmHWM), in MiB.</summary>
    public double PeakRssMiB => _killed ? 0 : ReadStatusKiB("VmHWM:") / 1024.0;

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="args"/></c> with <paramref name="environment"/> added.</summary>
    public static ServerProcess Start(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment) =>
        StartProgram("dotnet", [dll, .. args], environment);

    /// <summary>Starts any program (a peer server such as moto_server or node) with <paramref name="environment"/> added.</summary>
    public static ServerProcess StartProgram(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null) =>
        new(ChildProcess.Start(fileName, args, workingDirectory, environment.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value))));

    /// <summary>The Release build of <paramref name="relativePath"/> (from the repository root) above this program.</summary>
    public static string FindBuild(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relativePath} not found above this program; build the solution with -c Release.");
    }

    /// <summary>The gateway's Release build.</summary>
    public static string GatewayDll() => FindBuild(Path.Combine("functions", "Gateway.Functions", "bin", "Release", "net10.0", "Gateway.Functions.dll"));

    /// <summary>LocalPachd's Release build.</summary>
    public static string LocalPachdDll() => FindBuild(Path.Combine("infra", "LocalPachd", "bin", "Release", "net10.0", "LocalPachd.dll"));

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on loopback <paramref name="port"/>.</summary>
    public async Task WaitListeningAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the process exited ({_process.ExitCode.ToString(CultureInfo.InvariantCulture)}):\n{Tail}");
            }

            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"nothing listening on port {port.ToString(CultureInfo.InvariantCulture)} after {timeout}:\n{Tail}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public void KillHard()
    {
        if (!_killed)
        {
            _killed = true;
            _process.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public void Dispose() => KillHard();

    private long ReadStatusKiB(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
