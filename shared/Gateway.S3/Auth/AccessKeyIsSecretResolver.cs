namespace Gateway.S3.Auth;

/// <summary>
/// "Auth off" resolver: every non-empty access key is accepted and its secret is the access key
/// itself, so a signature is valid exactly when the client used secret == access key.
/// </summary>
public sealed class AccessKeyIsSecretResolver : IS3CredentialResolver
{
    /// <summary>The shared instance.</summary>
    public static AccessKeyIsSecretResolver Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask<string?> GetSecretKeyAsync(string accessKeyId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(string.IsNullOrEmpty(accessKeyId) ? null : accessKeyId);
}
