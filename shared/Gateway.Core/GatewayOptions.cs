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
}
