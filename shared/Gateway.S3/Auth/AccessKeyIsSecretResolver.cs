namespace Gateway.S3.Auth;

/// <summary>
/// Pachyderm's policy: every non-empty access key has itself as its secret, so a signature is valid exactly when the
/// client used secret == access key. Whether the key is also a live token is the host's question, asked afterwards.
/// </summary>
public sealed class AccessKeyIsSecretResolver : IS3CredentialResolver
{
    /// <summary>The shared instance.</summary>
    public static AccessKeyIsSecretResolver Instance { get; } = new();

    /// <inheritdoc />
    public string? GetSecretKey(string accessKeyId) => string.IsNullOrEmpty(accessKeyId) ? null : accessKeyId;
}
