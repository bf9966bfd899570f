using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Gateway.Benchmarks;
using Gateway.Benchmarks.S3Bench;
using Gateway.Benchmarks.S3Bench.Stores;
using Gateway.Benchmarks.S3Bench.Targets;

// S3Bench: the gateway (standalone and behind the Functions host emulator), the direct gRPC path to LocalPachd, and
// two peer S3 servers (moto_server, s3rver), one after another on loopback, under the same workload and client (see
// Workloads). Prints a Markdown table with ratio columns and the issue's targets as pass/fail, and can write the raw
// figures as JSON and a bar chart as SVG. See docs/BENCHMARKS.md "S3Bench". Exit status: 0 when every selected target
// ran the whole workload with every read verified; 1 when a target did not start or failed; 2 on a bad command line.
// The pass/fail column does not change the exit status: it measures where the gateway stands.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var started = DateTime.UtcNow;
var loadBefore = LoadAverage();

// The SDK's first request in this process pays for its own start-up (JIT, endpoint rules): pay it before any cold start.
using (var nowhere = S3Store.Create($"http://127.0.0.1:{ServerProcess.FreePort().ToString(CultureInfo.InvariantCulture)}", "warm"))
{
    try
    {
        await nowhere.ProbeAsync(cancel.Token);
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        // Nothing listens there: only the client's code path was wanted.
    }
}

var results = new List<TargetResult>();
foreach (var name in options.Targets)
{
    var isPeer = name is "moto" or "s3rver";
    var result = new TargetResult { Name = name, IsPeer = isPeer };
    results.Add(result);
    if (options.SkippedPeers.Contains(name))
    {
        result.Status = "skipped (--skip-peer)";
        continue;
    }

    Console.Error.WriteLine($"s3bench [{name}] starting");
    BenchTarget target;
    try
    {
        target = await BenchTarget.StartAsync(await Launches.ForAsync(name, options), cancel.Token);
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        result.Status = $"failed to start: {e.Message}";
        Console.Error.WriteLine($"s3bench [{name}] {result.Status}");
        continue;
    }

    await using (target)
    {
        result.Description = target.Description;
        result.ColdStartSeconds = target.ColdStart.TotalSeconds;
        try
        {
            await new Workloads(options, target, result).RunAsync(cancel.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            result.Status = $"failed: {e.GetType().Name}: {e.Message}";
            Console.Error.WriteLine($"s3bench [{name}] {result.Status}\n--- server output (tail) ---\n{target.Process.Tail}");
        }

        result.LifetimePeakRssMiB = target.Sampler.LifetimePeakMiB;
    }
}

var loadAfter = LoadAverage();
var report = new Report(options, results);
var command = $"S3Bench {string.Join(' ', args)}".Trim();
Console.WriteLine($"# S3Bench {started.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
Console.WriteLine();
Console.WriteLine($"- command: `{command}`");
Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; load average {loadBefore} before, {loadAfter} after");
Console.WriteLine($"- client: {S3Store.ClientSettings}; grpc: PachClient PutFile/GetFile/InspectFile/ListFile");
Console.WriteLine($"- workload: {options.SizeMiB} MiB objects; {options.SmallOps / 6 * 6} requests of 4 KiB ({options.SmallOps / 6} per row); {options.Keys:N0} keys listed 1,000 per page; targets one after another, each on a fresh data directory");
Console.WriteLine("- RSS: VmRSS of the server's process tree (emulator + worker for functions; the gateway's figure includes its embedded LocalPachd), sampled every 50 ms; peaks per phase");
foreach (var result in results)
{
    Console.WriteLine($"- {result.Name}: {result.Description ?? "-"}{(result.Ok ? string.Empty : $" — **{result.Status.Split('\n')[0]}**")}");
}

Console.WriteLine();
Console.Write(report.Table());
Console.WriteLine();
var passed = report.Checks.Count(c => c.Pass == true);
Console.WriteLine($"Targets met: {passed} of {report.Checks.Count} ({report.Checks.Count(c => c.Pass is null)} without a figure).");

if (options.Json is { } json)
{
    var document = new
    {
        started,
        command,
        machine = new { cores = Environment.ProcessorCount, os = RuntimeInformation.OSDescription, runtime = RuntimeInformation.FrameworkDescription, loadBefore, loadAfter },
        client = S3Store.ClientSettings,
        options = new { options.SizeMiB, options.SmallOps, options.Keys, options.Quick, targets = options.Targets, skippedPeers = options.SkippedPeers },
        targets = results,
        checks = report.Checks,
    };
    await File.WriteAllTextAsync(json, JsonSerializer.Serialize(document, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    Console.Error.WriteLine($"s3bench: wrote {json}");
}

if (options.Svg is { } svg)
{
    var title = $"S3Bench {started.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: throughput by target ({options.SizeMiB} MiB objects, {Environment.ProcessorCount} cores, load {loadBefore})";
    await File.WriteAllTextAsync(svg, SvgChart.Draw(results, title));
    Console.Error.WriteLine($"s3bench: wrote {svg}");
}

return results.All(r => r.Ok || r.Status.StartsWith("skipped", StringComparison.Ordinal)) ? 0 : 1;

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "unknown";
    }
}
