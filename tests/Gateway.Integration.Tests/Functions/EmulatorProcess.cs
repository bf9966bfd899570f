using System.Diagnostics;
using System.Text;

namespace Gateway.Integration.Tests.Functions;

/// <summary>
/// The Functions host emulator (tests/Tools/FunctionsHost) as a child process serving Gateway.Functions in Functions
/// mode, both from the solution's build output of this test's configuration (nothing is built here). Ready once the
/// emulator prints its listening line; stopped through standard input (<c>--stop-on-stdin-close</c>), so a dying
/// test run never leaves a worker behind.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private const string _readyLine = "FunctionsHost listening on ";
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private EmulatorProcess(Process process) => _process = process;

    /// <summary>The emulator's HTTP address (http://127.0.0.1:port/).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>From the emulator's start to its ready line.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Everything the emulator (and the worker through it) printed so far.</summary>
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

    /// <summary>The first group of the first output line <paramref name="pattern"/> matches, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForOutputAsync(System.Text.RegularExpressions.Regex pattern, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (pattern.Match(Output) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }

            if (clock.Elapsed > timeout)
            {
                throw new InvalidOperationException($"The emulator's output has no line matching {pattern}:{Environment.NewLine}{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Starts the emulator with <paramref name="environment"/> added to this process's (PACHD_ADDRESS removed).</summary>
    public static async Task<EmulatorProcess> StartAsync(IEnumerable<KeyValuePair<string, string>> environment)
    {
        var (appDirectory, emulator) = BuildOutputs();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { emulator, "--app", appDirectory, "--port", "0", "--stop-on-stdin-close" })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Remove("PACHD_ADDRESS");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var started = new EmulatorProcess(new Process { StartInfo = info });
        try
        {
            await started.WaitReadyAsync();
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }

        return started;
    }

    private async Task WaitReadyAsync()
    {
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, ready);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, ready);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(2)));
        if (done != ready.Task)
        {
            throw new InvalidOperationException($"The Functions host emulator did not get ready ({(done == exited ? "exited " + _process.ExitCode : "timed out")}):{Environment.NewLine}{Output}");
        }

        StartupTime = clock.Elapsed;
        BaseUri = await ready.Task;
    }

    private void OnLine(string? line, TaskCompletionSource<Uri> ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith(_readyLine, StringComparison.Ordinal))
        {
            ready.TrySetResult(new Uri(line[_readyLine.Length..].Split(',')[0].Trim().TrimEnd('/') + "/"));
        }
    }

    /// <summary>Gateway.Functions' and the emulator's output directories for this test's configuration and framework.</summary>
    public static (string App, string Emulator) BuildOutputs()
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testDir.Name;
        var configuration = testDir.Parent!.Name;
        var root = testDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Gateway.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("Gateway.sln not found above " + AppContext.BaseDirectory);
        }

        var app = Path.Combine(root.FullName, "functions", "Gateway.Functions", "bin", configuration, tfm);
        var emulator = Path.Combine(root.FullName, "tests", "Tools", "FunctionsHost", "bin", configuration, tfm, "FunctionsHost.dll");
        if (!File.Exists(Path.Combine(app, "functions.metadata")) || !File.Exists(emulator))
        {
            throw new InvalidOperationException($"Build the solution ({configuration}) first: {app} or {emulator} is missing.");
        }

        return (app, emulator);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // --stop-on-stdin-close: the emulator sends WorkerTerminate and waits for the worker.
                _process.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }
}
