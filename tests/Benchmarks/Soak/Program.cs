using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Gateway.Benchmarks;
using Gateway.Benchmarks.Soak;

// The soak: N clients (the AWS .NET SDK with its defaults: aws-chunked uploads with a CRC trailer, no retries) run a
// mix of PUT, GET, HEAD, DELETE, ListObjectsV2, CopyObject and multipart uploads against the gateway on its embedded
// LocalPachd for a bounded time, each over its own keys, so the state every key must have is known exactly. Every
// read is checked against it as it happens, and every key once more at the end. With --fault, LocalPachd runs as its
// own process and is killed (SIGKILL) and restarted halfway: requests may fail while it is down, but no write that
// was acknowledged may be lost and no read may return bytes that were never written. See docs/BENCHMARKS.md "Soak".
//
//   Soak [--seconds 120] [--clients 8] [--keys 40] [--seed 1] [--fault] [--json soak.json]
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var fault = false;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--fault")
    {
        fault = true;
    }
    else if (i + 1 < args.Length)
    {
        options[args[i].TrimStart('-')] = args[++i];
    }
}

int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var seconds = Int("seconds", 120);
var clients = Int("clients", 8);
var keysPerClient = Int("keys", 40);
var seed = Int("seed", 1);

var data = Path.Combine(Path.GetTempPath(), "soak-" + Guid.NewGuid().ToString("N"));
var gatewayPort = ServerProcess.FreePort();
var pachdPort = ServerProcess.FreePort();
ServerProcess? pachd = null;
ServerProcess StartPachd() => ServerProcess.Start(ServerProcess.LocalPachdDll(), ["--data", Path.Combine(data, "pachd"), "--port", pachdPort.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>());
var gatewayEnvironment = new Dictionary<string, string>
{
    ["GATEWAY_PORT"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
    ["GATEWAY_DATA_DIR"] = Path.Combine(data, "embedded"),
    ["GATEWAY_LOCALPACHD_PORT"] = pachdPort.ToString(CultureInfo.InvariantCulture),
    ["Logging__LogLevel__Gateway.Access"] = "Warning",
};
if (fault)
{
    pachd = StartPachd();
    await pachd.WaitListeningAsync(pachdPort, TimeSpan.FromSeconds(30));
    gatewayEnvironment["PACHD_ADDRESS"] = $"http://127.0.0.1:{pachdPort.ToString(CultureInfo.InvariantCulture)}";
}

using var gateway = ServerProcess.Start(ServerProcess.GatewayDll(), [], gatewayEnvironment);
try
{
    await gateway.WaitListeningAsync(gatewayPort, TimeSpan.FromSeconds(60));
    using var s3 = new AmazonS3Client(new BasicAWSCredentials("soak", "soak"), new AmazonS3Config
    {
        ServiceURL = $"http://127.0.0.1:{gatewayPort.ToString(CultureInfo.InvariantCulture)}",
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        UseHttp = true,
        MaxErrorRetry = 0,
        Timeout = TimeSpan.FromSeconds(120),
    });
    var bucket = "master.soak" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
    await s3.PutBucketAsync(bucket);

    var ledger = new Ledger();
    var workers = Enumerable.Range(0, clients).Select(c => new SoakClient(s3, bucket, c, keysPerClient, seed * 1000 + c, ledger)).ToList();
    await Task.WhenAll(workers.Select(w => w.WarmUpAsync()));
    var rssStart = gateway.RssMiB;
    ledger.StartMeasuring();
    var clock = Stopwatch.StartNew();
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
    var running = workers.Select(w => w.RunAsync(stop.Token)).ToList();
    if (pachd is not null)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds / 2.0));
        ledger.Mark("LocalPachd killed (SIGKILL)");
        pachd.KillHard();
        pachd.Dispose();
        await Task.Delay(TimeSpan.FromSeconds(2));
        pachd = StartPachd();
        await pachd.WaitListeningAsync(pachdPort, TimeSpan.FromSeconds(60));
        ledger.Mark("LocalPachd serving again (restarted on the same data)");
    }

    await Task.WhenAll(running);
    var elapsed = clock.Elapsed;
    var rssEnd = gateway.RssMiB;
    var peak = gateway.PeakRssMiB;

    // Every key once more, after the load: what the last acknowledged write left, or one of the unacknowledged ones.
    var verified = 0;
    foreach (var worker in workers)
    {
        verified += await worker.VerifyAllAsync();
    }

    var report = ledger.Report(elapsed, clients, verified, rssStart, rssEnd, peak, fault);
    Console.WriteLine(report.Text);
    if (options.TryGetValue("json", out var json))
    {
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report.Figures, new JsonSerializerOptions { WriteIndented = true }));
    }

    return report.Passed ? 0 : 1;
}
catch (Exception e)
{
    await Console.Error.WriteLineAsync($"soak aborted: {e.Message}\n--- gateway output (tail) ---\n{gateway.Tail}");
    return 2;
}
finally
{
    pachd?.Dispose();
    gateway.KillHard();
    try
    {
        Directory.Delete(data, recursive: true);
    }
    catch (IOException)
    {
    }
}
