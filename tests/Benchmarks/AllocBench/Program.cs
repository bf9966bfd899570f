using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Benchmarks;
using Gateway.Benchmarks.AllocBench;

// AllocBench: managed bytes the gateway allocates per S3 request, its embedded LocalPachd included (one process).
// Starts the Release build standalone on a free port and a fresh data directory, then for each operation (PUT 4 KiB,
// GET 4 KiB, HEAD, ListObjectsV2 of 10 keys, DeleteObject) runs a warm-up and N requests one at a time, and prints
// the delta of dotnet_gc_heap_total_allocated_bytes (the gateway's /~/metrics) divided by N. With --trace it runs
// each operation once more under an EventPipe session (GCAllocationTick, one sample per ~100 KB allocated, with
// stacks) and prints what allocated: by type, and by type + allocating method + nearest gateway/LocalPachd frame.
// See docs/BENCHMARKS.md "AllocBench". Not a test: it prints figures and checks nothing beyond each request's success.
//
//   AllocBench [--requests 2000] [--warmup 200] [--ops put,get,head,list,delete] [--trace] [--top 20]
//              [--no-access-log] [--gateway path/to/Gateway.Functions.dll]
var options = AllocOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(AllocOptions.Usage);
    return 2;
}

var data = Path.Combine(Path.GetTempPath(), "allocbench-" + Guid.NewGuid().ToString("N"));
var port = ServerProcess.FreePort();
var environment = new Dictionary<string, string>
{
    ["GATEWAY_PORT"] = Text(port),
    ["GATEWAY_DATA_DIR"] = data,
    ["GATEWAY_LOCALPACHD_PORT"] = Text(ServerProcess.FreePort()),
};
if (!options.AccessLog)
{
    environment["Logging__LogLevel__Gateway.Access"] = "Warning";
}

using var gateway = ServerProcess.Start(options.GatewayDll ?? ServerProcess.GatewayDll(), [], environment);
try
{
    await gateway.WaitListeningAsync(port, TimeSpan.FromSeconds(60));
    var serviceUrl = $"http://127.0.0.1:{Text(port)}";
    using var s3 = new AmazonS3Client(new BasicAWSCredentials("bench", "bench"), new AmazonS3Config
    {
        ServiceURL = serviceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        UseHttp = true,
        MaxErrorRetry = 0,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });
    using var http = new HttpClient { BaseAddress = new Uri(serviceUrl) };
    var metrics = new GatewayMetrics(http);
    var workload = new Workload(s3);
    await workload.SetUpAsync();

    var rows = new List<string>();
    foreach (var op in options.Ops)
    {
        await workload.PrepareAsync(op, options.Warmup + options.Requests);
        await workload.RunAsync(op, 0, options.Warmup);
        var before = await metrics.AllocatedBytesAsync();
        var clock = Stopwatch.StartNew();
        await workload.RunAsync(op, options.Warmup, options.Requests);
        var elapsed = clock.Elapsed;
        var after = await metrics.AllocatedBytesAsync();
        var perRequest = (after - before) / options.Requests;
        Console.Error.WriteLine($"allocbench [{op}] {perRequest / 1024.0:F1} KB/request, {options.Requests / elapsed.TotalSeconds:F0} ops/s");
        rows.Add($"| {Workload.Describe(op)} | {perRequest / 1024.0:N1} | {perRequest:N0} | {options.Requests / elapsed.TotalSeconds:N0} |");

        if (options.Trace)
        {
            await workload.PrepareAsync(op, options.Requests);
            var trace = Path.Combine(data, $"alloc-{op}.nettrace");
            var samples = await AllocationTrace.CollectAsync(gateway.Id, trace, () => workload.RunAsync(op, 0, options.Requests));
            Console.WriteLine(samples.Report($"{Workload.Describe(op)}: allocation samples", options.Requests, options.Top));
        }
    }

    Console.WriteLine($"# AllocBench {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
    Console.WriteLine();
    Console.WriteLine($"- command: `{$"AllocBench {string.Join(' ', args)}".Trim()}`");
    Console.WriteLine($"- {options.Requests} requests per operation one at a time after {options.Warmup} warm-up requests; AWSSDK.S3 client in the bench process (path-style, SigV4 with signed payload, checksums WHEN_REQUIRED)");
    Console.WriteLine($"- gateway standalone (Release), embedded LocalPachd, access log {(options.AccessLog ? "on (default)" : "off")}; bytes = delta of dotnet_gc_heap_total_allocated_bytes from /~/metrics (client and server side of LocalPachd included)");
    Console.WriteLine();
    Console.WriteLine("| operation | KB allocated / request | bytes / request | ops/s |");
    Console.WriteLine("|---|---:|---:|---:|");
    foreach (var row in rows)
    {
        Console.WriteLine(row);
    }

    return 0;
}
catch (Exception e) when (e is AmazonServiceException or HttpRequestException or InvalidOperationException or TimeoutException)
{
    Console.Error.WriteLine($"allocbench: {e.GetType().Name}: {e.Message}\n--- gateway output (tail) ---\n{gateway.Tail}");
    return 1;
}
finally
{
    gateway.KillHard();
    try
    {
        Directory.Delete(data, recursive: true);
    }
    catch (IOException)
    {
    }
}

static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
