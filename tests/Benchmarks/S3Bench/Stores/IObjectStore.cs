namespace Gateway.Benchmarks.S3Bench.Stores;

/// <summary>
/// What the workloads need from a target: the S3 API through one client (the same for every S3 target), or PachClient
/// over gRPC. Buckets are named <c>master.NAME</c> (the gateway's branch.repo form); the gRPC store maps that to repo
/// NAME, branch master. Every GET returns the XxHash3 of what it read, for the workload to compare with the PUT's.
/// </summary>
internal interface IObjectStore : IDisposable
{
    /// <summary>Whether the target has multipart uploads (S3 targets only).</summary>
    bool SupportsMultipart { get; }

    /// <summary>One cheap request (ListBuckets, or GetVersion): throws until the server answers.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);

    Task CreateBucketAsync(string bucket, CancellationToken cancellationToken);

    /// <summary>Uploads <paramref name="length"/> bytes of <paramref name="content"/> in one request (stream).</summary>
    Task PutAsync(string bucket, string key, Stream content, long length, CancellationToken cancellationToken);

    /// <summary>Downloads the object; its length and the XxHash3 of its bytes.</summary>
    Task<(long Bytes, ulong Hash)> GetAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>The object's length, from its metadata only.</summary>
    Task<long> HeadAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>A multipart upload of <paramref name="parts"/>, <paramref name="concurrency"/> parts at a time.</summary>
    Task MultipartAsync(string bucket, string key, IReadOnlyList<PartSource> parts, int concurrency, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="keys"/> small objects the fastest legitimate way this target has.</summary>
    Task PopulateAsync(string bucket, IReadOnlyList<string> keys, int concurrency, CancellationToken cancellationToken);

    /// <summary>Lists every key in pages of 1,000: the number listed and each page's time.</summary>
    Task<(int Keys, IReadOnlyList<TimeSpan> Pages)> ListAllAsync(string bucket, CancellationToken cancellationToken);
}

/// <summary>One part of a multipart upload: its length and a fresh stream of its bytes.</summary>
internal sealed record PartSource(long Length, Func<Stream> Open);
