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
/// Whether auth is on is asked of pachd and remembered for <see cref="GatewayOptions.AuthModeCacheSeconds"/>, then
/// served stale while one background call refreshes it, so no request waits on pachd for the mode once it is known
/// (pachd itself refuses what a stale "off" lets through); a token that WhoAmI accepted is remembered for <see cref="GatewayOptions.AuthCacheSeconds"/> (never past
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
    private readonly Lock _modeGate = new();
    private Task<bool>? _modeCall;
    private volatile ModeEntry? _mode;

    public PachAuthenticator(IPachClient client, IOptions<GatewayOptions> options, TimeProvider time, ILogger<PachAuthenticator> logger)
    {
        _client = client;
        _time = time;
        _logger = logger;
        _modeTtl = TimeSpan.FromSeconds(Math.Max(0, options.Value.AuthModeCacheSeconds));
        _tokenTtl = TimeSpan.FromSeconds(Math.Max(0, options.Value.AuthCacheSeconds));
    }

    /// <summary>
    /// True when pachd has auth activated. A known mode is answered at once, even when older than the cache period;
    /// then one background call (the pachd client's deadline bounds it) brings it up to date. Only learning the
    /// mode the first time waits for pachd, and concurrent first requests share that one call. With a cache period
    /// of 0 every request asks pachd itself.
    /// </summary>
    public async ValueTask<bool> IsAuthActiveAsync(CancellationToken cancellationToken)
    {
        if (_modeTtl <= TimeSpan.Zero)
        {
            var active = await _client.IsAuthActiveAsync(cancellationToken).ConfigureAwait(false);
            Remember(active);
            return active;
        }

        var mode = _mode;
        if (mode is not null)
        {
            if (mode.Expires <= _time.GetUtcNow())
            {
                _ = LearnModeAsync();
            }

            return mode.Active;
        }

        return await LearnModeAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The last call made to learn the mode (tests wait for a background refresh with it).</summary>
    internal Task<bool>? ModeCall => _modeCall;

    /// <summary>The call that learns the mode: the one running, or a new one.</summary>
    private Task<bool> LearnModeAsync()
    {
        lock (_modeGate)
        {
            if (_modeCall is { IsCompleted: false } running)
            {
                return running;
            }

            var call = AskModeAsync();
            // A background refresh may fail with nobody waiting for it: observe that here.
            _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return _modeCall = call;
        }
    }

    private async Task<bool> AskModeAsync()
    {
        // Off the caller's stack: a call that completes synchronously must not run inside the lock.
        await Task.Yield();
        try
        {
            // Not the caller's token: the answer serves every request, and the client's deadline bounds the wait.
            var active = await _client.IsAuthActiveAsync(CancellationToken.None).ConfigureAwait(false);
            Remember(active);
            return active;
        }
        catch (Exception) when (_mode is { } stale)
        {
            // pachd does not answer: keep serving the mode it last gave, and ask again a little later, not on
            // every request. The requests' own pachd calls fail (and are answered 503) meanwhile.
            _mode = stale with { Expires = _time.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(1, _modeTtl.TotalSeconds)) };
            return stale.Active;
        }
    }

    private void Remember(bool active)
    {
        var previous = _mode;
        if (previous is null || previous.Active != active)
        {
            GatewayLog.AuthModeChanged(_logger, active);
        }

        _mode = new ModeEntry(active, _time.GetUtcNow() + _modeTtl);
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
