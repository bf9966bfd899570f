using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.S3.Errors;

namespace Gateway.Core.Auth;

/// <summary>
/// Meters failed authentications per client with a token bucket (<see cref="AuthFailureLimitOptions"/>): each failure
/// takes one token, tokens come back at a steady rate, and a client with none left is answered <c>SlowDown</c>. Only
/// failures and checks that may fail touch it, so requests that authenticate from what the gateway already knows never
/// wait on it. Memory is bounded: at most <see cref="AuthFailureLimitOptions.MaxClients"/> buckets, the least recently
/// used forgotten first (a forgotten client starts again with a full bucket).
/// </summary>
internal sealed class AuthFailureLimiter
{
    /// <summary>The bucket of requests whose remote address is unknown.</summary>
    internal const string UnknownClient = "*";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Bucket>> _buckets = new(StringComparer.Ordinal);
    private readonly LinkedList<Bucket> _leastRecentFirst = new();
    private readonly TimeProvider _time;
    private readonly double _burst;
    private readonly double _perSecond;
    private readonly int _maxClients;

    public AuthFailureLimiter(AuthFailureLimitOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _burst = Math.Max(0, options.Burst);
        _perSecond = Math.Max(0, options.PerSecond);
        _maxClients = Math.Max(1, options.MaxClients);
    }

    private bool Enabled => _burst > 0 && _perSecond > 0;

    /// <summary>The number of clients remembered.</summary>
    internal int TrackedClients
    {
        get
        {
            lock (_lock)
            {
                return _buckets.Count;
            }
        }
    }

    /// <summary>
    /// The bucket a request's remote address falls in: the IPv4 address, an IPv6 address's /64 (one host usually
    /// holds a whole /64), or <see cref="UnknownClient"/>.
    /// </summary>
    public static string ClientOf(IPAddress? address)
    {
        if (address is null)
        {
            return UnknownClient;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>The answer to a client with no failures left.</summary>
    public static S3Exception SlowDown(TimeSpan retryAfter) => new(S3Errors.SlowDown)
    {
        Headers = new Dictionary<string, string>
        {
            ["Retry-After"] = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
        },
    };

    /// <summary>
    /// Takes one failure from <paramref name="client"/>'s allowance. False when there is none left, with the time
    /// until there is one again in <paramref name="retryAfter"/>.
    /// </summary>
    public bool TryTake(string client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!Enabled)
        {
            return true;
        }

        lock (_lock)
        {
            var bucket = Refilled(client, _time.GetUtcNow());
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / _perSecond);
            return false;
        }
    }

    /// <summary>Gives back a failure taken in advance for a check that then succeeded (or was not the client's fault).</summary>
    public void Return(string client)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_lock)
        {
            if (_buckets.TryGetValue(client, out var node))
            {
                node.Value.Tokens = Math.Min(_burst, node.Value.Tokens + 1);
            }
        }
    }

    /// <summary>The client's bucket, filled for the time since it was last used and marked most recently used.</summary>
    private Bucket Refilled(string client, DateTimeOffset now)
    {
        if (_buckets.TryGetValue(client, out var node))
        {
            _leastRecentFirst.Remove(node);
            _leastRecentFirst.AddLast(node);
            var bucket = node.Value;
            var elapsed = Math.Max(0, (now - bucket.Updated).TotalSeconds);
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + (elapsed * _perSecond));
            bucket.Updated = now;
            return bucket;
        }

        if (_buckets.Count >= _maxClients && _leastRecentFirst.First is { } oldest)
        {
            _buckets.Remove(oldest.Value.Client);
            _leastRecentFirst.RemoveFirst();
        }

        var fresh = new Bucket(client) { Tokens = _burst, Updated = now };
        _buckets[client] = _leastRecentFirst.AddLast(fresh);
        return fresh;
    }

    private sealed class Bucket(string client)
    {
        public string Client { get; } = client;

        public double Tokens { get; set; }

        public DateTimeOffset Updated { get; set; }
    }
}
