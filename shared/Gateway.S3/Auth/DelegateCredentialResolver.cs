namespace Gateway.S3.Auth;

/// <summary>Adapts a delegate to <see cref="IS3CredentialResolver"/> (e.g. a fixed table of keys in tests).</summary>
public sealed class DelegateCredentialResolver : IS3CredentialResolver
{
    private readonly Func<string, string?> _resolve;

    /// <summary>Creates the resolver.</summary>
    public DelegateCredentialResolver(Func<string, string?> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        _resolve = resolve;
    }

    /// <inheritdoc />
    public string? GetSecretKey(string accessKeyId) => _resolve(accessKeyId);
}
