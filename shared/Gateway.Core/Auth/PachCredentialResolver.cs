using System.Collections.Concurrent;
using Gateway.S3.Auth;

namespace Gateway.Core.Auth;

/// <summary>
/// The credential policy Pachyderm defines: the secret of any access key is the access key itself (decided locally,
/// so <see cref="S3Authenticator"/> checks signatures before pachd hears of a key), and with auth on the key must also
/// be a live pachd token, which <see cref="ConfirmAsync"/> asks once the signature is known to be right. A client whose
/// secret differs from its access key therefore fails SignatureDoesNotMatch, as AWS answers a wrong secret; a correctly
/// signed key pachd does not know is InvalidAccessKeyId.
/// </summary>
internal sealed class PachCredentialResolver : IS3CredentialResolver
{
    private const int _maxKnownKeys = 10_000;

    /// <summary>
    /// How long a key pachd accepted counts as known. Longer than the token cache on purpose: it only decides whether a
    /// client that is being slowed down may still have its key checked, and no one can add a key to it without a token.
    /// </summary>
    private static readonly TimeSpan _knownFor = TimeSpan.FromMinutes(15);

    private readonly PachAuthenticator _authenticator;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _known = new(StringComparer.Ordinal);

    public PachCredentialResolver(PachAuthenticator authenticator, TimeProvider time)
    {
        _authenticator = authenticator;
        _time = time;
    }

    /// <inheritdoc />
    public string? GetSecretKey(string accessKeyId) => string.IsNullOrEmpty(accessKeyId) ? null : accessKeyId;

    /// <summary>True when pachd accepted <paramref name="accessKeyId"/> as a token in the last 15 minutes.</summary>
    public bool IsKnown(string accessKeyId) =>
        _known.TryGetValue(PachAuthenticator.TokenId(accessKeyId), out var until) && until > _time.GetUtcNow();

    /// <summary>
    /// Confirms a correctly signed access key with pachd (auth on): WhoAmI, cached by <see cref="PachAuthenticator"/>.
    /// Throws InvalidAccessKeyId for a token pachd does not know.
    /// </summary>
    public async ValueTask ConfirmAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        if (await _authenticator.ValidateTokenAsync(accessKeyId, cancellationToken).ConfigureAwait(false))
        {
            if (_known.Count >= _maxKnownKeys)
            {
                _known.Clear();
            }

            _known[PachAuthenticator.TokenId(accessKeyId)] = _time.GetUtcNow() + _knownFor;
        }
    }
}
