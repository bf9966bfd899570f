namespace Gateway.S3;

/// <summary>Options of the S3 protocol layer. Bind from configuration section <c>S3</c> or set in code.</summary>
public sealed class S3ProtocolOptions
{
    /// <summary>
    /// Base domain for virtual-hosted-style requests (<c>bucket.{BaseDomain}</c>). Default: null,
    /// meaning path-style only. A Host equal to the base domain itself is path-style.
    /// </summary>
    public string? BaseDomain { get; set; }

    /// <summary>Value of the <c>Server</c> response header. Default: <c>PachydermS3Gateway</c>.</summary>
    public string ServerName { get; set; } = "PachydermS3Gateway";

    /// <summary>Largest accepted difference between the request time and the server clock. Default: 15 minutes (as AWS).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Largest request body of every operation that does not upload object data (the XML bodies of DeleteObjects,
    /// CompleteMultipartUpload, CreateBucket, PutBucketVersioning and PutObjectTagging among them), in bytes: the one
    /// limit every XML request reader keeps and the server's body limit for those operations. A longer body is refused
    /// with MaxMessageLengthExceeded. Default: 8 MiB, room for a CompleteMultipartUpload naming 10,000 parts with
    /// checksums.
    /// </summary>
    public int MaxXmlBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// How long slow work (CompleteMultipartUpload) may run before the response is committed as 200 and kept alive
    /// with a space per interval, as S3 does. Default: 10 seconds.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// True when requests come through the Azure Functions host (set by Functions mode, not a user setting). The host
    /// forwards its decoded path, in which an encoded slash the client sent (<c>%2F</c>) cannot be told from a literal
    /// <c>%2F</c> in a key (<c>%252F</c>): both reach the gateway as <c>%252F</c>. The gateway then reads the key the way
    /// the request's signature was computed for (<see cref="Routing.S3RequestTarget.WithEncodedSlashes"/>).
    /// </summary>
    public bool BehindFunctionsHost { get; set; }
}
