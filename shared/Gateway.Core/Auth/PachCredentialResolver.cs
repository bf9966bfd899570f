using Gateway.S3.Auth;

namespace Gateway.Core.Auth;

/// <summary>
/// The credential policy Pachyderm defines: the secret of any access key is the access key itself. With auth
/// on, the access key must also be a live pachd token (WhoAmI, cached); an unknown token is InvalidAccessKeyId.
/// A client whose secret differs from its access key therefore fails SignatureDoesNotMatch, as AWS answers a
/// wrong secret.
/// </summary>
internal sealed class PachCredentialResolver : IS3CredentialResolver
{
    private readonly PachAuthenticator _authenticator;

    public PachCredentialResolver(PachAuthenticator authenticator) => _authenticator = authenticator;

    /// <inheritdoc />
    public async ValueTask<string?> GetSecretKeyAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(accessKeyId))
        {
            return null;
        }

        if (await _authenticator.IsAuthActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            // Throws InvalidAccessKeyId for a token pachd does not know.
            await _authenticator.ValidateTokenAsync(accessKeyId, cancellationToken).ConfigureAwait(false);
        }

        return accessKeyId;
    }
}
