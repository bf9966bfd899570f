using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Benchmarks;

// Version listing cost against the length of history: writes a history of N commits through the gateway (each PUT is
// one commit), then times ListObjectVersions pages at the start, middle and end of the listing, and the same for one
// key's own versions, beside a ListObjectsV2 page of the same bucket as the baseline. See docs/BENCHMARKS.md.
//
//   HistoryBench [--commits 10000] [--keys 2000] [--hot-share 0.5] [--rounds 15] [--concurrency 8]
//                [--gateway path/to/Gateway.Functions.dll | --endpoint http://host:port]
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var commits = Int("commits", 10_000);
var keys = Int("keys", 2_000);
var hotShare = options.TryGetValue("hot-share", out var hs) ? double.Parse(hs, CultureInfo.InvariantCulture) : 0.5;
var rounds = Int("rounds", 15);
var concurrency = Int("concurrency", 8);
var hotVersions = (int)(commits * hotShare);

var data = Path.Combine(Path.GetTempPath(), "historybench-" + Guid.NewGuid().ToString("N"));
var port = ServerProcess.FreePort();
using var gateway = options.TryGetValue("endpoint", out var endpoint) ? null : ServerProcess.Start(
    options.GetValueOrDefault("gateway") ?? ServerProcess.GatewayDll(),
    [],
    new Dictionary<string, string>
    {
        ["GATEWAY_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        ["GATEWAY_DATA_DIR"] = data,
        ["GATEWAY_LOCALPACHD_PORT"] = ServerProcess.FreePort().ToString(CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Gateway.Access"] = "Warning",
    });
var serviceUrl = endpoint ?? $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
if (gateway is not null)
{
    await gateway.WaitListeningAsync(port, TimeSpan.FromSeconds(60));
}

using var s3 = new AmazonS3Client(new BasicAWSCredentials("bench", "bench"), new AmazonS3Config
{
    ServiceURL = serviceUrl,
    ForcePathStyle = true,
    AuthenticationRegion = "us-east-1",
    UseHttp = true,
    RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
    ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
});

var repo = "hist" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
var bucket = "master." + repo;
await s3.PutBucketAsync(new PutBucketRequest { BucketName = repo });
var rows = new List<string[]>();

// ---- the history: (commits - hot) PUTs spread over `keys` keys, `hot` PUTs of one key, interleaved ----
var plan = Enumerable.Range(0, commits).Select(i => i % (commits / Math.Max(1, hotVersions)) == 0 && hotVersions > 0 ? "hot" : $"k/{i % keys:D6}").ToList();
var writes = Stopwatch.StartNew();
var next = -1;
await Parallel.ForEachAsync(Enumerable.Range(0, concurrency), async (_, ct) =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < plan.Count)
    {
        var body = new MemoryStream(System.Text.Encoding.ASCII.GetBytes($"version {i} of {plan[i]}"));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = plan[i], InputStream = body }, ct);
    }
});
writes.Stop();
var hot = plan.Count(k => k == "hot");
rows.Add(["write the history (PUT, c=" + concurrency + ")", $"{commits:N0} commits", Ms(writes.Elapsed), $"{commits / writes.Elapsed.TotalSeconds:N0} commits/s"]);

// ---- the first listing builds the index from pachd's history ----
var build = Stopwatch.StartNew();
var first = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, MaxKeys = 1000 });
build.Stop();
rows.Add(["first ListObjectVersions (indexes the whole history once)", $"{commits:N0} commits", Ms(build.Elapsed), $"{commits / build.Elapsed.TotalSeconds:N0} commits/s"]);

// ---- every page once, to know where each starts; the full walk is a figure of its own ----
var markers = new List<(string? Key, string? Version)>();
var walk = Stopwatch.StartNew();
var listed = 0;
(string? Key, string? Version) position = (null, null);
while (true)
{
    markers.Add(position);
    var page = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, MaxKeys = 1000, KeyMarker = position.Key, VersionIdMarker = position.Version });
    listed += page.Versions?.Count ?? 0;
    if (page.IsTruncated != true)
    {
        break;
    }

    position = (page.NextKeyMarker, page.NextVersionIdMarker);
}

walk.Stop();
if (listed != commits)
{
    Console.Error.WriteLine($"warning: listed {listed} versions for {commits} commits");
}

rows.Add(["every page of versions, 1,000 per page", $"{listed:N0} versions, {markers.Count} pages", Ms(walk.Elapsed), $"{listed / walk.Elapsed.TotalSeconds:N0} versions/s"]);

async Task<double> MedianAsync(Func<Task> call)
{
    await call();
    var times = new List<double>();
    for (var r = 0; r < rounds; r++)
    {
        var watch = Stopwatch.StartNew();
        await call();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    return times[times.Count / 2];
}

Task VersionsPage((string? Key, string? Version) at, string? prefix = null) =>
    s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, MaxKeys = 1000, KeyMarker = at.Key, VersionIdMarker = at.Version, Prefix = prefix });

var baseline = await MedianAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1000 }));
rows.Add(["baseline: ListObjectsV2, first page of 1,000 keys", $"{keys + (hot > 0 ? 1 : 0):N0} keys", $"{baseline:N1} ms", "1.00x"]);
foreach (var (name, at) in new[] { ("first", markers[0]), ("middle", markers[markers.Count / 2]), ("last", markers[^1]) })
{
    var median = await MedianAsync(() => VersionsPage(at));
    rows.Add([$"ListObjectVersions, {name} page (1,000)", $"page {markers.IndexOf(at) + 1} of {markers.Count}", $"{median:N1} ms", $"{median / baseline:N2}x"]);
}

// ---- one key's own versions: the hot key's first and last page ----
if (hot > 1000)
{
    var hotMarkers = new List<(string? Key, string? Version)>();
    (string? Key, string? Version) at = (null, null);
    while (true)
    {
        hotMarkers.Add(at);
        var page = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, MaxKeys = 1000, Prefix = "hot", KeyMarker = at.Key, VersionIdMarker = at.Version });
        if (page.IsTruncated != true)
        {
            break;
        }

        at = (page.NextKeyMarker, page.NextVersionIdMarker);
    }

    foreach (var (name, marker) in new[] { ("first", hotMarkers[0]), ("last", hotMarkers[^1]) })
    {
        var median = await MedianAsync(() => VersionsPage(marker, "hot"));
        rows.Add([$"one key's versions, {name} page (1,000)", $"{hot:N0} versions of \"hot\"", $"{median:N1} ms", $"{median / baseline:N2}x"]);
    }
}

// ---- after one more commit: the listing indexes just that commit ----
var catchUp = new List<double>();
for (var r = 0; r < rounds; r++)
{
    await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"k/{r % keys:D6}", ContentBody = $"more {r}" });
    var watch = Stopwatch.StartNew();
    await VersionsPage(markers[0]);
    catchUp.Add(watch.Elapsed.TotalMilliseconds);
}

catchUp.Sort();
rows.Add(["first page right after one more PUT (indexes 1 commit)", $"{commits:N0}+ commits", $"{catchUp[catchUp.Count / 2]:N1} ms", $"{catchUp[catchUp.Count / 2] / baseline:N2}x"]);

var invariant = CultureInfo.InvariantCulture;
Console.WriteLine($"# HistoryBench {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", invariant)}");
Console.WriteLine();
Console.WriteLine($"- command: `HistoryBench {string.Join(' ', args)}` ({commits:N0} commits: {hot:N0} of one key, the rest over {keys:N0} keys; medians of {rounds} rounds after one warm-up)");
Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
Console.WriteLine($"- gateway: {(gateway is null ? serviceUrl : "standalone host on its embedded LocalPachd, " + serviceUrl)}");
Console.WriteLine();
Console.WriteLine("| measurement | amount | time | rate or ratio to baseline |");
Console.WriteLine("|---|---|---|---|");
foreach (var row in rows)
{
    Console.WriteLine($"| {string.Join(" | ", row)} |");
}

gateway?.KillHard();
try
{
    Directory.Delete(data, recursive: true);
}
catch (IOException)
{
    // Nothing was written there (an --endpoint run).
}

return 0;

static string Ms(TimeSpan t) => t.TotalSeconds >= 10 ? $"{t.TotalSeconds:N1} s" : $"{t.TotalMilliseconds:N0} ms";
