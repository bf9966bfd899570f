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

    /// <summary>Region reported by GetBucketLocation and accepted in credential scopes (any region is accepted). Default: <c>us-east-1</c>.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Largest XML request body (DeleteObjects, CompleteMultipartUpload, versioning) in bytes. Default: 2 MiB.</summary>
    public int MaxXmlBodyBytes { get; set; } = 2 * 1024 * 1024;
}
