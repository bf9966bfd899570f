using System.Globalization;
using System.Net;
using Gateway.Core.Auth;
using Gateway.Core.Tests.Support;

namespace Gateway.Core.Tests.Auth;

[Collection(PachdCollection.Name)]
public sealed class AuthFailureLimiterTests(PachdServer pachd)
{
    private readonly ManualTimeProvider _time = new();

    private AuthFailureLimiter Create(int burst = 20, double perSecond = 5, int maxClients = 10_000) =>
        new(new AuthFailureLimitOptions { Burst = burst, PerSecond = perSecond, MaxClients = maxClients }, _time);

    [Fact]
    public void TryTake_BurstThenRefillAtTheRate()
    {
        var limiter = Create(burst: 20, perSecond: 5);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(limiter.TryTake("a", out _));
        }

        Assert.False(limiter.TryTake("a", out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(0.2), retryAfter);

        _time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(limiter.TryTake("a", out _));
        Assert.False(limiter.TryTake("a", out _));

        _time.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 20; i++)
        {
            Assert.True(limiter.TryTake("a", out _));
        }

        Assert.False(limiter.TryTake("a", out _));
    }

    [Fact]
    public void TryTake_ClientsHaveTheirOwnBuckets()
    {
        var limiter = Create(burst: 1);
        Assert.True(limiter.TryTake("a", out _));
        Assert.False(limiter.TryTake("a", out _));

        Assert.True(limiter.TryTake("b", out _));
    }

    [Fact]
    public void Return_GivesBackWhatWasTaken_NeverPastTheBurst()
    {
        var limiter = Create(burst: 2);
        Assert.True(limiter.TryTake("a", out _));
        Assert.True(limiter.TryTake("a", out _));
        limiter.Return("a");
        limiter.Return("a");
        limiter.Return("a");

        Assert.True(limiter.TryTake("a", out _));
        Assert.True(limiter.TryTake("a", out _));
        Assert.False(limiter.TryTake("a", out _));
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(20, 0)]
    public void TryTake_LimitTurnedOff_AlwaysAllowedAndNothingTracked(int burst, double perSecond)
    {
        var limiter = Create(burst, perSecond);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(limiter.TryTake("a", out _));
        }

        Assert.Equal(0, limiter.TrackedClients);
    }

    [Fact]
    public void TryTake_PastMaxClients_LeastRecentlyUsedForgotten()
    {
        var limiter = Create(burst: 1, maxClients: 2);
        Assert.True(limiter.TryTake("a", out _));
        Assert.True(limiter.TryTake("b", out _));
        Assert.False(limiter.TryTake("a", out _));

        Assert.True(limiter.TryTake("c", out _));

        Assert.Equal(2, limiter.TrackedClients);
        Assert.False(limiter.TryTake("a", out _));
        Assert.True(limiter.TryTake("b", out _));
    }

    [Theory]
    [InlineData(null, "*")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("::1", "::/64")]
    public void ClientOf_Address_Bucket(string? address, string expected)
    {
        Assert.Equal(expected, AuthFailureLimiter.ClientOf(address is null ? null : IPAddress.Parse(address)));
    }

    [Fact]
    public void SlowDown_Error503WithRetryAfterInWholeSeconds()
    {
        var e = AuthFailureLimiter.SlowDown(TimeSpan.FromSeconds(0.2));

        Assert.Equal("SlowDown", e.Error.Code);
        Assert.Equal(503, e.Error.StatusCode);
        Assert.Equal("1", e.Headers!["Retry-After"]);
    }
    [Fact]
    public async Task HandleAsync_AuthOffFailuresPastTheBurst_SlowDownWhileSignedRequestsServed()
    {
        var gateway = new Support.Gateway(pachd.Client);
        var from = IPAddress.Parse("192.0.2.44");

        var statuses = new List<int>();
        for (var i = 0; i < 200 && !statuses.Contains(503); i++)
        {
            var (target, headers) = S3Signing.Sign(SignedAs.SigV2Header, "GET", "/", "key-" + i.ToString(CultureInfo.InvariantCulture), "wrong", DateTimeOffset.UtcNow);
            statuses.Add((await gateway.SendAsync("GET", target, headers: headers, configure: c => c.Connection.RemoteIpAddress = from)).Status);
        }

        Assert.Equal(503, statuses[^1]);
        Assert.InRange(statuses.Count(s => s == 403), 20, 60);
        var (signedTarget, signed) = S3Signing.Sign(SignedAs.SigV4Query, "GET", "/", "any", "any", DateTimeOffset.UtcNow);
        Assert.Equal(200, (await gateway.SendAsync("GET", signedTarget, headers: signed, configure: c => c.Connection.RemoteIpAddress = from)).Status);
    }
}
