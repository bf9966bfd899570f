namespace Gateway.S3.Auth;

/// <summary>Adapts a delegate to <see cref="IS3CredentialResolver"/> (e.g. a token check against pachd).</summary>
public sealed class DelegateCredentialResolver : IS3CredentialResolver
{
    private readonly Func<string, CancellationToken, ValueTask<string?>> _resolve;

    /// <summary>Creates the resolver.</summary>
    public DelegateCredentialResolver(Func<string, CancellationToken, ValueTask<string?>> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        _resolve = resolve;
    }

    /// <inheritdoc />
    public ValueTask<string?> GetSecretKeyAsync(string accessKeyId, CancellationToken cancellationToken) => _resolve(accessKeyId, cancellationToken);
}
