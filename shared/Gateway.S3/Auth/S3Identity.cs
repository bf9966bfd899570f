using Gateway.S3.Errors;

namespace Gateway.S3.Auth;

/// <summary>The verified caller: an access key proven by a signature, or anonymous.</summary>
public sealed class S3Identity
{
    private S3Identity(string? accessKeyId, S3AuthMethod method)
    {
        AccessKeyId = accessKeyId;
        Method = method;
    }

    /// <summary>The anonymous identity (unsigned request). The host decides whether to accept it.</summary>
    public static S3Identity Anonymous { get; } = new(null, S3AuthMethod.Anonymous);

    /// <summary>The verified access key (in this product also the Pachyderm token); null when anonymous.</summary>
    public string? AccessKeyId { get; }

    /// <summary>How the identity was established.</summary>
    public S3AuthMethod Method { get; }

    /// <summary>True for unsigned requests.</summary>
    public bool IsAnonymous => AccessKeyId is null;

    /// <summary>Creates an identity for a verified access key.</summary>
    public static S3Identity Verified(string accessKeyId, S3AuthMethod method)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        return new S3Identity(accessKeyId, method);
    }

    /// <summary>Throws AccessDenied when anonymous (for hosts that require authentication).</summary>
    public void RequireAuthenticated()
    {
        if (IsAnonymous)
        {
            throw new S3Exception(S3Errors.AccessDenied);
        }
    }

    /// <inheritdoc />
    public override string ToString() => IsAnonymous ? "anonymous" : $"{Method} (access key redacted)";
}
