namespace Gateway.Benchmarks.S3Bench;

/// <summary>Every raw figure of one target (null: not measured, see <see cref="Status"/>); serialised as the JSON.</summary>
internal sealed class TargetResult
{
    public required string Name { get; init; }

    public bool IsPeer { get; init; }

    public string? Description { get; set; }

    /// <summary>"ok", "skipped (--skip-peer)", "failed to start: …" or "failed: …".</summary>
    public string Status { get; set; } = "ok";

    public bool Ok => Status == "ok";

    public double? ColdStartSeconds { get; set; }

    /// <summary>Memory of the server's process tree after the warm-up.</summary>
    public double? IdleRssMiB { get; set; }

    public Transfer? Put { get; set; }

    public Transfer? Get { get; set; }

    public Transfer? Multipart { get; set; }

    public List<SmallOps> Small { get; } = [];

    public int? SmallRequests { get; set; }

    public double? RssAfterSmallMiB { get; set; }

    /// <summary>Memory of the server's process tree <see cref="Workloads.RestAfterSmall"/> after the small requests ended.</summary>
    public double? RssRestedAfterSmallMiB { get; set; }

    public Listing? Listing { get; set; }

    /// <summary>The highest memory sampled over the target's whole run.</summary>
    public double? LifetimePeakRssMiB { get; set; }

    public SmallOps? SmallFor(string operation, int concurrency) =>
        Small.FirstOrDefault(s => s.Operation == operation && s.Concurrency == concurrency);
}

/// <summary>
/// One large transfer: bytes, time, rate, the server's peak and end memory in MiB (process tree, sampled every 50 ms),
/// and this benchmark process's own peak (the client's).
/// </summary>
internal sealed record Transfer(long Bytes, double Seconds, double MiBPerSecond, double PeakRssMiB, double EndRssMiB, double ClientPeakRssMiB, string Check);

/// <summary>One run of 4 KiB requests: count, concurrency, rate, latency percentiles, the server's peak memory.</summary>
internal sealed record SmallOps(string Operation, int Concurrency, int Count, double Seconds, double OpsPerSecond, double P50Ms, double P99Ms, double MaxMs, double PeakRssMiB);

/// <summary>The listing bucket: how it was filled and how long that took, then one full ListObjectsV2 walk.</summary>
internal sealed record Listing(
    int Keys,
    string PopulateMethod,
    double PopulateSeconds,
    double FullSeconds,
    int Pages,
    double FirstPageMs,
    double LastPageMs,
    double PeakRssMiB);
