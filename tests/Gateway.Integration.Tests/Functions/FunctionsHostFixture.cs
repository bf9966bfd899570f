using System.Diagnostics;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;

namespace Gateway.Integration.Tests.Functions;

/// <summary>
/// Gateway.Functions in Functions mode behind the Functions host emulator (tests/Tools/FunctionsHost), both from the
/// solution's build output of this test's configuration (nothing is built here): the emulator starts the worker as the
/// Azure Functions host does, and the worker runs the embedded LocalPachd in a temporary directory.
/// </summary>
public class FunctionsHostFixture : IAsyncLifetime
{
    private const string _readyLine = "FunctionsHost listening on ";
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>The emulator's HTTP address (http://127.0.0.1:port/).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The embedded LocalPachd's data directory (deleted on dispose).</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "gw-fh-" + Guid.NewGuid().ToString("N"));

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

    /// <summary>Environment for the emulator, which the worker inherits.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Environment() =>
    [
        new("GATEWAY_DATA_DIR", DataDirectory),
        new("GATEWAY_AUTH_MODE_CACHE_SECONDS", "0"),
        new("GATEWAY_FUNCTIONS_LOCALPACHD", "true"),
    ];

    public async Task InitializeAsync()
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
        foreach (var (name, value) in Environment())
        {
            info.Environment[name] = value;
        }

        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, ready);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, ready);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(2)));
        if (done != ready.Task)
        {
            throw new InvalidOperationException($"The Functions host emulator did not get ready ({(done == exited ? "exited " + _process.ExitCode : "timed out")}):{System.Environment.NewLine}{Output}");
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
    internal static (string App, string Emulator) BuildOutputs()
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

    /// <summary>An AWS SDK client for the emulator (SDK defaults otherwise, as <c>GatewayFixture.Aws</c>).</summary>
    public AmazonS3Client Aws(string accessKey = "test-key", bool whenRequired = false) => new(
        new BasicAWSCredentials(accessKey, accessKey),
        new AmazonS3Config
        {
            ServiceURL = BaseUri.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            UseHttp = true,
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromMinutes(2),
            RequestChecksumCalculation = whenRequired ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED,
            ResponseChecksumValidation = whenRequired ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED,
        });

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            try
            {
                // --stop-on-stdin-close: the emulator sends WorkerTerminate and waits for the worker.
                _process.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}

/// <summary>Auth off (any key pair works).</summary>
public sealed class FunctionsHostAuthOffFixture : FunctionsHostFixture;

/// <summary>The embedded LocalPachd with auth on (GATEWAY_LOCALPACHD_ROOT_TOKEN): requests must be signed with the root token.</summary>
public sealed class FunctionsHostAuthOnFixture : FunctionsHostFixture
{
    public string RootToken { get; } = "fh-root-" + Guid.NewGuid().ToString("N");

    protected override IEnumerable<KeyValuePair<string, string>> Environment() =>
        base.Environment().Append(new("GATEWAY_LOCALPACHD_ROOT_TOKEN", RootToken));
}

[CollectionDefinition(Name)]
public sealed class FunctionsHostCollection : ICollectionFixture<FunctionsHostAuthOffFixture>, ICollectionFixture<FunctionsHostAuthOnFixture>
{
    public const string Name = "gateway behind the Functions host emulator";
}
