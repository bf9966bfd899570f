using Gateway.S3.Auth.SigV4;

namespace Gateway.S3.Auth;

/// <summary>Outcome of authenticating a request.</summary>
public sealed class S3AuthResult
{
    /// <summary>Creates a result.</summary>
    public S3AuthResult(S3Identity identity, S3PayloadMode payloadMode, string? payloadSha256, SigV4SigningContext? signing)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Identity = identity;
        PayloadMode = payloadMode;
        PayloadSha256 = payloadSha256;
        Signing = signing;
    }

    /// <summary>The verified caller, or <see cref="S3Identity.Anonymous"/>.</summary>
    public S3Identity Identity { get; }

    /// <summary>What x-amz-content-sha256 promised about the body.</summary>
    public S3PayloadMode PayloadMode { get; }

    /// <summary>The promised body SHA-256 (lower-case hex) when <see cref="PayloadMode"/> is <see cref="S3PayloadMode.Sha256"/>.</summary>
    public string? PayloadSha256 { get; }

    /// <summary>Signing state for aws-chunked chunk signatures; null for anonymous requests.</summary>
    public SigV4SigningContext? Signing { get; }
}
