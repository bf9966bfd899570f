using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LocalPachd.Storage;

namespace LocalPachd.Auth;

/// <summary>
/// Auth state: whether auth is active and the issued tokens. Only SHA-256 hashes of tokens are kept
/// (in memory and in the metadata database), never the tokens themselves.
/// </summary>
internal sealed class AuthStore
{
    public const string RootPrincipal = "pach:root";
    public const string RobotPrefix = "robot:";

    private readonly MetadataDb _db;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<Hash256, TokenRecord> _tokens = new();
    private volatile bool _active;

    public AuthStore(MetadataDb db, TimeProvider time)
    {
        _db = db;
        _time = time;
        using var connection = db.Open();
        _active = connection.Scalar("SELECT value FROM auth_state WHERE key = 'active'") as string == "1";
        foreach (var (hash, token) in connection.Query(
            "SELECT hash, subject, expires FROM tokens",
            r => (Hash256.FromSpan((byte[])r.GetValue(0)), new TokenRecord(r.GetString(1), r.GetNullableInt64(2)))))
        {
            _tokens[hash] = token;
        }
    }

    public bool IsActive => _active;

    /// <summary>Activates auth with <paramref name="rootToken"/> (generated when empty) and returns the root token.</summary>
    public async Task<string> ActivateAsync(string? rootToken, CancellationToken cancellationToken)
    {
        var token = string.IsNullOrEmpty(rootToken) ? NewToken() : rootToken;
        using var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false);
        if (_active)
        {
            throw Pfs.PachErrors.New(Grpc.Core.StatusCode.AlreadyExists, "already activated");
        }

        scope.Connection.Execute("DELETE FROM tokens");
        scope.Connection.Execute("INSERT OR REPLACE INTO auth_state(key, value) VALUES ('active', '1')");
        var hash = HashOf(token);
        scope.Connection.Execute(
            "INSERT INTO tokens(hash, subject, expires) VALUES ($h, $s, NULL)", ("$h", hash.ToArray()), ("$s", RootPrincipal));
        scope.Commit();
        _tokens.Clear();
        _tokens[hash] = new TokenRecord(RootPrincipal, null);
        _active = true;
        return token;
    }

    public async Task DeactivateAsync(CancellationToken cancellationToken)
    {
        using var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false);
        scope.Connection.Execute("DELETE FROM tokens");
        scope.Connection.Execute("INSERT OR REPLACE INTO auth_state(key, value) VALUES ('active', '0')");
        scope.Commit();
        _active = false;
        _tokens.Clear();
    }

    /// <summary>The token's record, or null when it is unknown or expired.</summary>
    public TokenRecord? Validate(string token)
    {
        if (!_tokens.TryGetValue(HashOf(token), out var record))
        {
            return null;
        }

        return record.Expires is { } expires && expires <= _time.GetUtcNow().UtcTicks ? null : record;
    }

    public async Task<string> IssueAsync(string subject, TimeSpan? lifetime, CancellationToken cancellationToken)
    {
        var token = NewToken();
        var hash = HashOf(token);
        long? expires = lifetime is { } ttl ? _time.GetUtcNow().Add(ttl).UtcTicks : null;
        using var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false);
        scope.Connection.Execute(
            "INSERT INTO tokens(hash, subject, expires) VALUES ($h, $s, $e)", ("$h", hash.ToArray()), ("$s", subject), ("$e", expires));
        scope.Commit();
        _tokens[hash] = new TokenRecord(subject, expires);
        return token;
    }

    public async Task<long> RevokeAsync(string token, CancellationToken cancellationToken)
    {
        var hash = HashOf(token);
        using var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false);
        var removed = scope.Connection.Execute("DELETE FROM tokens WHERE hash = $h", ("$h", hash.ToArray()));
        scope.Commit();
        _tokens.TryRemove(hash, out _);
        return removed;
    }

    private static Hash256 HashOf(string token) => Hash256.Compute(Encoding.UTF8.GetBytes(token));

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>An issued token: whom it authenticates and when it expires (UTC ticks; null = never).</summary>
internal sealed record TokenRecord(string Subject, long? Expires);
