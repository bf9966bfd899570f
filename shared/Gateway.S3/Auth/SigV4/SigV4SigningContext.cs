namespace Gateway.S3.Auth.SigV4;

/// <summary>
/// What a verified SigV4 request leaves behind for verifying what follows it: aws-chunked chunk
/// signatures chain from <see cref="SeedSignature"/> with <see cref="SigningKey"/> and <see cref="Scope"/>.
/// </summary>
public sealed class SigV4SigningContext
{
    internal SigV4SigningContext(byte[] signingKey, string seedSignature, string scope, string amzDate, DateTimeOffset timestamp, string region)
    {
        SigningKey = signingKey;
        SeedSignature = seedSignature;
        Scope = scope;
        AmzDate = amzDate;
        Timestamp = timestamp;
        Region = region;
    }

    /// <summary>HMAC key derived from the secret, date, region and service. Never log it.</summary>
    public ReadOnlyMemory<byte> SigningKey { get; }

    /// <summary>The request's own signature (lower-case hex): the seed of the chunk-signature chain.</summary>
    public string SeedSignature { get; }

    /// <summary>Credential scope <c>yyyyMMdd/region/s3/aws4_request</c>.</summary>
    public string Scope { get; }

    /// <summary>The request timestamp as signed (<c>yyyyMMddTHHmmssZ</c>).</summary>
    public string AmzDate { get; }

    /// <summary>The request timestamp.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The region named in the scope.</summary>
    public string Region { get; }
}
