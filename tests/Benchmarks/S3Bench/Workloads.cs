using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using Gateway.Benchmarks.S3Bench.Stores;
using Gateway.Benchmarks.S3Bench.Targets;

namespace Gateway.Benchmarks.S3Bench;

/// <summary>
/// The same workload for every target, in this order: warm-up; single-stream PUT and GET of one large object;
/// a multipart upload of the same size in 16 MiB parts, 4 at a time; 4 KiB PUT, GET and HEAD at concurrency 1 and
/// 16; the server's memory after those; a bucket of many small keys listed in full with ListObjectsV2. Every body is a
/// xorshift64* stream made on the fly; every GET is hashed and compared with what was sent (a wrong byte fails the run).
/// </summary>
internal sealed class Workloads(BenchOptions options, BenchTarget target, TargetResult result)
{
    internal const int MiB = 1024 * 1024;
    internal const int SmallSize = 4096;
    internal const int PartSize = 16 * MiB;
    internal const int PartConcurrency = 4;
    internal const int ListConcurrency = 16;
    internal const ulong Seed = 0x5EED;

    /// <summary>How long the server rests after the small requests before its memory is read again.</summary>
    internal static readonly TimeSpan RestAfterSmall = TimeSpan.FromSeconds(5);
    private const string _bucket = "master.s3bench";
    private const string _listBucket = "master.s3list";

    private readonly TreeRssSampler _client = TreeRssSampler.Start(Environment.ProcessId, withChildren: false);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using (_client)
        {
            var store = target.Store;
            await store.CreateBucketAsync(_bucket, cancellationToken);
            await WarmUpAsync(cancellationToken);
            result.IdleRssMiB = target.Sampler.CurrentMiB();
            await LargeAsync(cancellationToken);
            if (store.SupportsMultipart)
            {
                await MultipartAsync(cancellationToken);
            }

            await SmallAsync(cancellationToken);
            await ListingAsync(cancellationToken);
        }
    }

    /// <summary>JIT, connections and caches on both sides: a 16 MiB object and a few small requests, not measured.</summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        Progress("warm-up");
        var source = new RewindablePrngStream(16 * MiB, Seed + 1);
        await target.Store.PutAsync(_bucket, "warmup.bin", source, source.Length, cancellationToken);
        Verify("warm-up GET", await target.Store.GetAsync(_bucket, "warmup.bin", cancellationToken), source.Length, source.Hash);
        for (var i = 0; i < 20; i++)
        {
            var (body, hash) = SmallBody(1_000_000 + i);
            using var content = new MemoryStream(body, writable: false);
            await target.Store.PutAsync(_bucket, "warmup-small", content, body.Length, cancellationToken);
            Verify("warm-up small GET", await target.Store.GetAsync(_bucket, "warmup-small", cancellationToken), body.Length, hash);
            await target.Store.HeadAsync(_bucket, "warmup-small", cancellationToken);
        }
    }

    private async Task LargeAsync(CancellationToken cancellationToken)
    {
        var size = (long)options.SizeMiB * MiB;
        Progress($"PUT {options.SizeMiB} MiB");
        var source = new RewindablePrngStream(size, Seed);
        result.Put = await TransferAsync(size, () => target.Store.PutAsync(_bucket, "big.bin", source, size, cancellationToken), () => "sent");

        Progress($"GET {options.SizeMiB} MiB");
        (long Bytes, ulong Hash) got = default;
        result.Get = await TransferAsync(size, async () => got = await target.Store.GetAsync(_bucket, "big.bin", cancellationToken), () =>
        {
            Verify("GET", got, size, source.Hash);
            return "bytes hash-identical to the PUT";
        });
    }

    private async Task MultipartAsync(CancellationToken cancellationToken)
    {
        var size = (long)options.SizeMiB * MiB;
        var parts = Enumerable.Range(0, (int)((size + PartSize - 1) / PartSize))
            .Select(i => (Length: Math.Min(PartSize, size - ((long)i * PartSize)), Seed: Seed + 100 + (ulong)i))
            .Select(p => new PartSource(p.Length, () => new RewindablePrngStream(p.Length, p.Seed)))
            .ToList();
        Progress($"multipart {options.SizeMiB} MiB ({parts.Count} parts of {PartSize / MiB} MiB, {PartConcurrency} at a time)");
        result.Multipart = await TransferAsync(size, () => target.Store.MultipartAsync(_bucket, "multipart.bin", parts, PartConcurrency, cancellationToken), () => "sent");

        // Not timed: the whole object read back against the parts' streams in order.
        var expected = new XxHash3();
        var buffer = new byte[MiB];
        foreach (var part in parts)
        {
            await using var stream = part.Open();
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                expected.Append(buffer.AsSpan(0, read));
            }
        }

        Verify("GET of the multipart object", await target.Store.GetAsync(_bucket, "multipart.bin", cancellationToken), size, expected.GetCurrentHashAsUInt64());
        result.Multipart = result.Multipart with { Check = "read back hash-identical to the parts in order (not timed)" };
    }

    /// <summary>4 KiB requests: PUT c=1, PUT c=16, then GET and HEAD of those keys at c=1 and c=16; small-ops/6 each.</summary>
    private async Task SmallAsync(CancellationToken cancellationToken)
    {
        var each = options.SmallOps / 6;
        var hashes = new Dictionary<int, ulong[]> { [1] = new ulong[each], [16] = new ulong[each] };
        string Key(int concurrency, int i) => string.Create(CultureInfo.InvariantCulture, $"small/c{concurrency}/{i:D6}");

        foreach (var concurrency in new[] { 1, 16 })
        {
            await SmallOpsAsync("PUT", concurrency, each, async (i, ct) =>
            {
                var (body, hash) = SmallBody((concurrency * 1_000_000) + i);
                hashes[concurrency][i] = hash;
                using var content = new MemoryStream(body, writable: false);
                await target.Store.PutAsync(_bucket, Key(concurrency, i), content, body.Length, ct);
            }, cancellationToken);
        }

        foreach (var concurrency in new[] { 1, 16 })
        {
            await SmallOpsAsync("GET", concurrency, each, async (i, ct) =>
                Verify("4 KiB GET", await target.Store.GetAsync(_bucket, Key(concurrency, i), ct), SmallSize, hashes[concurrency][i]), cancellationToken);
        }

        foreach (var concurrency in new[] { 1, 16 })
        {
            await SmallOpsAsync("HEAD", concurrency, each, async (i, ct) =>
            {
                var length = await target.Store.HeadAsync(_bucket, Key(concurrency, i), ct);
                if (length != SmallSize)
                {
                    throw new InvalidDataException($"HEAD {Key(concurrency, i)}: length {length}, not {SmallSize}");
                }
            }, cancellationToken);
        }

        result.SmallRequests = each * 6;
        result.RssAfterSmallMiB = target.Sampler.CurrentMiB();
        await Task.Delay(RestAfterSmall, cancellationToken);
        result.RssRestedAfterSmallMiB = target.Sampler.CurrentMiB();
    }

    private async Task SmallOpsAsync(string operation, int concurrency, int count, Func<int, CancellationToken, Task> op, CancellationToken cancellationToken)
    {
        Progress($"{count} × 4 KiB {operation} at c={concurrency}");
        var latencies = new double[count];
        var next = -1;
        target.Sampler.BeginPhase();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                await op(i, cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }, cancellationToken)));
        clock.Stop();
        var (peak, _) = target.Sampler.EndPhase();
        Array.Sort(latencies);
        result.Small.Add(new SmallOps(operation, concurrency, count, clock.Elapsed.TotalSeconds, count / clock.Elapsed.TotalSeconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1], peak));
    }

    private async Task ListingAsync(CancellationToken cancellationToken)
    {
        var store = target.Store;
        await store.CreateBucketAsync(_listBucket, cancellationToken);
        var keys = Enumerable.Range(0, options.Keys).Select(i => string.Create(CultureInfo.InvariantCulture, $"k{i:D6}")).ToList();
        var method = store.SupportsMultipart ? $"64 B PUTs at c={ListConcurrency}" : "ModifyFile, 10,000 files per call";
        Progress($"populating {options.Keys} keys ({method})");
        var populate = Stopwatch.StartNew();
        await store.PopulateAsync(_listBucket, keys, ListConcurrency, cancellationToken);
        populate.Stop();

        Progress($"listing {options.Keys} keys");
        target.Sampler.BeginPhase();
        var clock = Stopwatch.StartNew();
        var (listed, pages) = await store.ListAllAsync(_listBucket, cancellationToken);
        clock.Stop();
        var (peak, _) = target.Sampler.EndPhase();
        if (listed != options.Keys)
        {
            throw new InvalidDataException($"the listing returned {listed} keys, not {options.Keys}");
        }

        result.Listing = new Listing(options.Keys, method, populate.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds, pages.Count,
            pages[0].TotalMilliseconds, pages[^1].TotalMilliseconds, peak);
    }

    private async Task<Transfer> TransferAsync(long bytes, Func<Task> work, Func<string> check)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        target.Sampler.BeginPhase();
        _client.BeginPhase();
        var clock = Stopwatch.StartNew();
        await work();
        clock.Stop();
        var (peak, end) = target.Sampler.EndPhase();
        var (clientPeak, _) = _client.EndPhase();
        return new Transfer(bytes, clock.Elapsed.TotalSeconds, bytes / (double)MiB / clock.Elapsed.TotalSeconds, peak, end, clientPeak, check());
    }

    /// <summary>4 KiB of the PRNG stream for small request <paramref name="n"/>, and its hash.</summary>
    private static (byte[] Body, ulong Hash) SmallBody(int n)
    {
        var stream = new PrngStream(SmallSize, Seed + 10_000_000 + (ulong)n);
        var body = new byte[SmallSize];
        stream.ReadExactly(body);
        return (body, stream.Hash);
    }

    private static void Verify(string what, (long Bytes, ulong Hash) got, long bytes, ulong hash)
    {
        if (got.Bytes != bytes || got.Hash != hash)
        {
            throw new InvalidDataException(FormattableString.Invariant($"{what}: got {got.Bytes} bytes with hash {got.Hash:x16}, sent {bytes} bytes with hash {hash:x16}"));
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private void Progress(string step) => Console.Error.WriteLine($"s3bench [{target.Name}] {step}");
}
