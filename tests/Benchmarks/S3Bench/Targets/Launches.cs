using System.Globalization;
using Gateway.Benchmarks.S3Bench.Stores;
using Gateway.TestSupport;

namespace Gateway.Benchmarks.S3Bench.Targets;

/// <summary>
/// The five targets. Ours: the gateway standalone on its embedded LocalPachd (as tests/run-all.sh starts it), the
/// same build behind the Functions host emulator (tests/Tools/FunctionsHost, as functions-host-bench.sh starts it),
/// and LocalPachd alone driven by PachClient. The peers: moto_server from the machine's Python, and s3rver from npm
/// (installed into ~/.cache/s3bench when missing), run with node on a temp directory.
/// </summary>
internal static class Launches
{
    public const string S3rverVersion = "3.7.1";
    private const string _gatewayKey = "bench";

    public static async Task<Launch> ForAsync(string name, BenchOptions options) => name switch
    {
        "gateway" => Gateway(),
        "functions" => Functions(options),
        "grpc" => Grpc(),
        "moto" => Moto(),
        "s3rver" => await S3rverAsync(),
        _ => throw new ArgumentException($"unknown target {name}", nameof(name)),
    };

    private static Launch Gateway() => new("gateway", false, data =>
    {
        var port = ServerProcess.FreePort();
        var environment = GatewayEnvironment(data);
        environment["GATEWAY_PORT"] = Text(port);
        var process = ServerProcess.Start(ServerProcess.GatewayDll(), [], environment);
        return (process, S3Store.Create(Url(port), _gatewayKey));
    }, () => Task.FromResult("Gateway.Functions standalone (Kestrel), embedded LocalPachd, pachd auth off"));

    private static Launch Functions(BenchOptions options) => new("functions", false, data =>
    {
        var port = ServerProcess.FreePort();
        var environment = GatewayEnvironment(data);
        environment["GATEWAY_FUNCTIONS_LOCALPACHD"] = "true";
        // The host's request body limit (100 MiB by default): room for the single-stream PUT in aws-chunked framing.
        environment["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"] = Text(Math.Max(2L * options.SizeMiB * 1024 * 1024, 1L << 30));
        var emulator = ServerProcess.FindBuild(Path.Combine("tests", "Tools", "FunctionsHost", "bin", "Release", "net10.0", "FunctionsHost.dll"));
        var app = Path.GetDirectoryName(ServerProcess.GatewayDll())!;
        var process = ServerProcess.Start(emulator, ["--app", app, "--port", Text(port)], environment);
        return (process, S3Store.Create(Url(port), _gatewayKey));
    }, () => Task.FromResult("Gateway.Functions as isolated worker behind tests/Tools/FunctionsHost, embedded LocalPachd; RSS = emulator + worker"));

    private static Launch Grpc() => new("grpc", false, data =>
    {
        var port = ServerProcess.FreePort();
        var process = ServerProcess.Start(ServerProcess.LocalPachdDll(), ["--data", data, "--port", Text(port)], new Dictionary<string, string>());
        return (process, GrpcStore.Create(Url(port)));
    }, () => Task.FromResult("PachClient (gRPC, h2c) against LocalPachd as its own process; RSS = LocalPachd"));

    private static Launch Moto() => new("moto", true, _ =>
    {
        var port = ServerProcess.FreePort();
        var process = ServerProcess.StartProgram("moto_server", ["-H", "127.0.0.1", "-p", Text(port)], new Dictionary<string, string>());
        return (process, S3Store.Create(Url(port), "bench"));
    }, async () => $"moto_server {await FirstLineAsync("python3", "-c", "import moto, sys; print(moto.__version__, 'on Python', sys.version.split()[0])")}");

    /// <summary>Installs s3rver first (when missing), so npm's time is not counted in the cold start.</summary>
    private static async Task<Launch> S3rverAsync()
    {
        var script = await InstallS3rverAsync();
        return new("s3rver", true, data =>
        {
            var port = ServerProcess.FreePort();
            // s3rver 3.7.1 makes its continuation tokens with a cipher that Node 17+ keeps behind the legacy provider.
            var process = ServerProcess.StartProgram("node", ["--openssl-legacy-provider", script, "-d", data, "-a", "127.0.0.1", "-p", Text(port), "--silent"], new Dictionary<string, string>());
            return (process, S3Store.Create(Url(port), "S3RVER"));
        }, async () => $"s3rver {S3rverVersion} on node {await FirstLineAsync("node", "--version")}, --silent, --openssl-legacy-provider, data in a temp directory");
    }

    private static Dictionary<string, string> GatewayEnvironment(string data) => new()
    {
        ["GATEWAY_DATA_DIR"] = data,
        ["GATEWAY_LOCALPACHD_PORT"] = Text(ServerProcess.FreePort()),
        // No access log line per request (as in the Soak): the peers run without one too (s3rver --silent).
        ["Logging__LogLevel__Gateway.Access"] = "Warning",
    };

    /// <summary>s3rver's entry script, installed with npm into the user's cache when it is not there yet.</summary>
    private static async Task<string> InstallS3rverAsync()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var prefix = Path.Combine(cache, "s3bench");
        var script = Path.Combine(prefix, "node_modules", "s3rver", "bin", "s3rver.js");
        if (File.Exists(script))
        {
            return script;
        }

        Directory.CreateDirectory(prefix);
        Console.Error.WriteLine($"s3bench: installing s3rver@{S3rverVersion} into {prefix} (npm)");
        var output = await RunAsync("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", $"s3rver@{S3rverVersion}"], TimeSpan.FromMinutes(5));
        return File.Exists(script) ? script : throw new InvalidOperationException($"npm install s3rver@{S3rverVersion} did not produce {script}:\n{output}");
    }

    private static async Task<string> FirstLineAsync(string program, params string[] args)
    {
        try
        {
            return (await RunAsync(program, args, TimeSpan.FromSeconds(30))).Split('\n')[0].Trim();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "(version unknown)";
        }
    }

    /// <summary>Runs a helper program to its end (bounded); its output, or an exception when it fails.</summary>
    private static async Task<string> RunAsync(string program, IEnumerable<string> args, TimeSpan timeout)
    {
        await using var process = ChildProcess.Start(program, args);
        if (!await process.WaitForExitAsync(timeout))
        {
            throw new InvalidOperationException($"{program} did not finish within {timeout}");
        }

        return process.ExitCode == 0 ? process.Output : throw new InvalidOperationException($"{program} exited {process.ExitCode}:\n{process.Output}");
    }

    private static string Url(int port) => $"http://127.0.0.1:{Text(port)}";

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
