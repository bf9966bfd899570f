namespace Gateway.Core;

/// <summary>
/// Settings of the S3 operations. Bound from configuration section <c>Gateway</c> (environment variables
/// <c>Gateway__AuthCacheSeconds</c> etc.); the host adds flat aliases such as <c>GATEWAY_AUTH_CACHE_SECONDS</c>.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway";

    /// <summary>How long a token that pachd's WhoAmI accepted is trusted without asking again. Default: 30 seconds.</summary>
    public int AuthCacheSeconds { get; set; } = 30;

    /// <summary>How long the answer to "is auth active at pachd?" is reused. Default: 10 seconds.</summary>
    public int AuthModeCacheSeconds { get; set; } = 10;

    /// <summary>
    /// How long a readiness probe waits for pachd before answering "not ready". Default: 2 seconds (below the
    /// Kubernetes probe timeout the manifests set, 3 s). Alias: <c>GATEWAY_READY_TIMEOUT_SECONDS</c>.
    /// </summary>
    public double ReadinessTimeoutSeconds { get; set; } = 2;

    /// <summary>
    /// How long a readiness answer is reused, so that probes from several sources never add up to more than one pachd
    /// call per period. Default: 1 second. Alias: <c>GATEWAY_READY_CACHE_SECONDS</c>.
    /// </summary>
    public double ReadinessCacheSeconds { get; set; } = 1;

    /// <summary>
    /// Region reported by GetBucketLocation. Default: empty, which S3 clients read as us-east-1 (the AWS CLI,
    /// boto3, the .NET and MinIO SDKs all accept it without redirecting). Alias: <c>GATEWAY_REGION</c>.
    /// </summary>
    public string Location { get; set; } = string.Empty;

    /// <summary>Largest single PUT body in bytes (S3's limit). Default: 5 GiB.</summary>
    public long MaxObjectSize { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>
    /// Days after its initiation at which a multipart upload that was neither completed nor aborted expires, as S3's
    /// lifecycle rule AbortIncompleteMultipartUpload would abort it: NoSuchUpload from then on, gone from
    /// ListMultipartUploads, and its parts removed from the gateway branch by the next multipart write to the bucket.
    /// A completed upload's receipt (which answers a retried Complete) is kept as long after completion. Default: 7.
    /// 0: never. Alias: <c>GATEWAY_UPLOAD_EXPIRY_DAYS</c>.
    /// </summary>
    public double UploadExpiryDays { get; set; } = 7;

    /// <summary>
    /// How many object transfers run at once: requests that stream object data to or from pachd (PutObject,
    /// GetObject, UploadPart, CopyObject, UploadPartCopy). Past it a request waits up to <see cref="QueueSeconds"/>,
    /// then is answered 503 SlowDown with Retry-After. Default: <see cref="DefaultMaxConcurrentTransfers"/>, derived
    /// from the machine. 0: no bound. Alias: <c>GATEWAY_MAX_TRANSFERS</c>.
    /// </summary>
    public int MaxConcurrentTransfers { get; set; } = DefaultMaxConcurrentTransfers;

    /// <summary>
    /// How many other requests (listings, HEAD, deletes, tagging, bucket and multipart bookkeeping) run at once,
    /// counted apart from transfers so that big objects never starve small requests. Same queueing as transfers.
    /// Default: 4 × <see cref="DefaultMaxConcurrentTransfers"/>. 0: no bound. Alias: <c>GATEWAY_MAX_REQUESTS</c>.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = 4 * DefaultMaxConcurrentTransfers;

    /// <summary>
    /// How long a request past <see cref="MaxConcurrentTransfers"/> or <see cref="MaxConcurrentRequests"/> waits for a
    /// place before it is answered SlowDown; at most as many requests as the bound wait at once, the rest are answered
    /// at once. Default: 2 seconds. Alias: <c>GATEWAY_QUEUE_SECONDS</c>.
    /// </summary>
    public double QueueSeconds { get; set; } = 2;

    /// <summary>
    /// The <c>Retry-After</c> (seconds) of every 503 the gateway answers: SlowDown at its bounds, ServiceUnavailable
    /// when pachd does not answer in time or cannot be reached. Default: 1. Alias: <c>GATEWAY_RETRY_AFTER_SECONDS</c>.
    /// </summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// The default of <see cref="MaxConcurrentTransfers"/>: one per 64 MiB of the memory the process may use (a
    /// container's limit where there is one) and at most 32 per processor, between 16 and 256. 64 on a machine
    /// with 2 processors and 4 GiB or more.
    /// </summary>
    public static int DefaultMaxConcurrentTransfers { get; } = MachineTransfers(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, Environment.ProcessorCount);

    internal static int MachineTransfers(long availableMemoryBytes, int processors)
    {
        var byMemory = availableMemoryBytes / (64L * 1024 * 1024);
        var byProcessors = 32L * Math.Max(1, processors);
        return (int)Math.Clamp(Math.Min(byMemory, byProcessors), 16, 256);
    }
}
