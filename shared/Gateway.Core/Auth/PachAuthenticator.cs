using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Logging;
using Gateway.Pachyderm;
using Gateway.S3.Auth;
using Gateway.S3.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Auth;

/// <summary>
/// Pachyderm's S3 credential model: the access key is the pachd token and the secret key must equal it.
/// Whether auth is on is asked of pachd and remembered for <see cref="GatewayOptions.AuthModeCacheSeconds"/>;
/// a token that WhoAmI accepted is remembered for <see cref="GatewayOptions.AuthCacheSeconds"/> (never past
/// its expiry), keyed by its SHA-256 so no raw token sits in memory as a key or reaches a log.
/// </summary>
internal sealed class PachAuthenticator
{
    private const int _maxCachedTokens = 10_000;

    private readonly IPachClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _modeTtl;
    private readonly TimeSpan _tokenTtl;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _validTokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _modeLock = new(1, 1);
    private volatile ModeEntry? _mode;

    public PachAuthenticator(IPachClient client, IOptions<GatewayOptions> options, TimeProvider time, ILogger<PachAuthenticator> logger)
    {
        _client = client;
        _time = time;
        _logger = logger;
        _modeTtl = TimeSpan.FromSeconds(Math.Max(0, options.Value.AuthModeCacheSeconds));
        _tokenTtl = TimeSpan.FromSeconds(Math.Max(0, options.Value.AuthCacheSeconds));
    }

    /// <summary>True when pachd has auth activated (cached briefly).</summary>
    public async ValueTask<bool> IsAuthActiveAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var mode = _mode;
        if (mode is not null && mode.Expires > now)
        {
            return mode.Active;
        }

        await _modeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            mode = _mode;
            if (mode is not null && mode.Expires > now)
            {
                return mode.Active;
            }

            var active = await _client.IsAuthActiveAsync(cancellationToken).ConfigureAwait(false);

            if (mode is null || mode.Active != active)
            {
                GatewayLog.AuthModeChanged(_logger, active);
            }

            _mode = new ModeEntry(active, _time.GetUtcNow() + _modeTtl);
            return active;
        }
        finally
        {
            _modeLock.Release();
        }
    }

    /// <summary>
    /// The pachd client that serves <paramref name="caller"/>: with auth active at pachd an unsigned caller is refused
    /// (AccessDenied) and the verified access key travels as the token of every call; with auth off, the plain client.
    /// </summary>
    public async ValueTask<IPachClient> ClientForAsync(S3Identity caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!await IsAuthActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            return _client;
        }

        caller.RequireAuthenticated();
        return _client.WithToken(caller.AccessKeyId);
    }

    /// <summary>
    /// Checks that <paramref name="token"/> is a live pachd token; throws InvalidAccessKeyId when it is not.
    /// Returns false when pachd answered that auth is not active after all (the mode cache is then dropped).
    /// </summary>
    public async ValueTask<bool> ValidateTokenAsync(string token, CancellationToken cancellationToken)
    {
        var id = TokenId(token);
        var now = _time.GetUtcNow();
        if (_validTokens.TryGetValue(id, out var until) && until > now)
        {
            return true;
        }

        try
        {
            var who = await _client.WithToken(token).WhoAmIAsync(cancellationToken).ConfigureAwait(false);
            var expires = _time.GetUtcNow() + _tokenTtl;
            if (who.Expiration is { } exp && exp.ToDateTimeOffset() < expires)
            {
                expires = exp.ToDateTimeOffset();
            }

            if (_validTokens.Count >= _maxCachedTokens)
            {
                _validTokens.Clear();
            }

            _validTokens[id] = expires;
            return true;
        }
        catch (PachException e) when (e.Kind == PachErrorKind.AuthNotActive)
        {
            _mode = null;
            return false;
        }
        catch (PachException e) when (e.Kind is PachErrorKind.BadToken or PachErrorKind.NoToken or PachErrorKind.NotAuthorized)
        {
            _validTokens.TryRemove(id, out _);
            GatewayLog.TokenRejected(_logger, id[..12]);
            throw new S3Exception(S3Errors.InvalidAccessKeyId);
        }
    }

    /// <summary>The cache key of a token: lower-case hex SHA-256.</summary>
    internal static string TokenId(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record ModeEntry(bool Active, DateTimeOffset Expires);
}
