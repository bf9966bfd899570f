using System.Diagnostics;
using System.Text.RegularExpressions;
using Gateway.TestSupport;

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
    private readonly ChildProcess _process;

    private EmulatorProcess(ChildProcess process) => _process = process;

    /// <summary>The emulator's HTTP address (http://127.0.0.1:port/).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>From the emulator's start to its ready line.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Everything the emulator (and the worker through it) printed so far.</summary>
    public string Output => _process.Output;

    /// <summary>The first group of the first output line <paramref name="pattern"/> matches, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForOutputAsync(Regex pattern, TimeSpan timeout)
    {
        var line = await _process.WaitForLineAsync(pattern.IsMatch, timeout)
            ?? throw new InvalidOperationException($"The emulator's output has no line matching {pattern}:{Environment.NewLine}{Output}");
        return pattern.Match(line).Groups[1].Value;
    }

    /// <summary>Starts the emulator with <paramref name="environment"/> added to this process's (PACHD_ADDRESS removed).</summary>
    public static async Task<EmulatorProcess> StartAsync(IEnumerable<KeyValuePair<string, string>> environment)
    {
        var (appDirectory, emulator) = BuildOutputs();
        var clock = Stopwatch.StartNew();
        var started = new EmulatorProcess(ChildProcess.Start(
            "dotnet",
            [emulator, "--app", appDirectory, "--port", "0", "--stop-on-stdin-close"],
            environment: [new("PACHD_ADDRESS", null), .. environment.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value))],
            redirectStandardInput: true));
        try
        {
            await started.WaitReadyAsync(clock);
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }

        return started;
    }

    private async Task WaitReadyAsync(Stopwatch clock)
    {
        var ready = await _process.WaitForLineAsync(line => line.StartsWith(_readyLine, StringComparison.Ordinal), TimeSpan.FromMinutes(2))
            ?? throw new InvalidOperationException($"The Functions host emulator did not get ready ({(_process.HasExited ? "exited " + _process.ExitCode : "timed out")}):{Environment.NewLine}{Output}");
        StartupTime = clock.Elapsed;
        BaseUri = new Uri(ready[_readyLine.Length..].Split(',')[0].Trim().TrimEnd('/') + "/");
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
        if (!_process.HasExited)
        {
            // --stop-on-stdin-close: the emulator sends WorkerTerminate and waits for the worker; killed after 30 s.
            _process.CloseStandardInput();
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        await _process.DisposeAsync();
    }
}
