namespace Gateway.Core.Auth;

/// <summary>
/// How many failed authentications a client may cause before it is answered <c>SlowDown</c> (503, with Retry-After):
/// a token bucket per client address (IPv6 by its /64; one shared bucket when the address is unknown). Bound from
/// configuration section <c>Gateway:AuthFailures</c>.
/// </summary>
public sealed class AuthFailureLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:AuthFailures";

    /// <summary>Failures a client may have in a burst. Default: 20. Zero (or less) turns the limit off.</summary>
    public int Burst { get; set; } = 20;

    /// <summary>Failures per second each client is given back, up to <see cref="Burst"/>. Default: 5. Zero (or less) turns the limit off.</summary>
    public double PerSecond { get; set; } = 5;

    /// <summary>Clients remembered at most; past it, the one whose last failure is oldest is forgotten. Default: 10000.</summary>
    public int MaxClients { get; set; } = 10_000;
}
