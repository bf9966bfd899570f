using System.Globalization;
using System.Net;
using Gateway.Core.Auth;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Auth;

/// <summary>
/// The authenticate step of the pipeline with pachd auth on: the signature is checked before pachd hears of the key,
/// and failures from one client are metered. pachd is a real LocalPachd behind a proxy that counts its calls.
/// </summary>
public sealed class RequestAuthenticatorTests(SecuredPachd pachd) : IClassFixture<SecuredPachd>
{
    private static readonly IPAddress _client = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress _otherClient = IPAddress.Parse("198.51.100.9");
    private readonly List<PachCall> _calls = [];

    public static TheoryData<SignedAs> Forms => new() { SignedAs.SigV4Header, SignedAs.SigV4Query, SignedAs.SigV2Header, SignedAs.SigV2Query, SignedAs.AwsChunkedSeed };

    public static TheoryData<SignedAs> CompleteForms => new() { SignedAs.SigV4Header, SignedAs.SigV4Query, SignedAs.SigV2Header, SignedAs.SigV2Query };

    private int WhoAmICalls
    {
        get
        {
            lock (_calls)
            {
                return _calls.Count(c => c.Method == nameof(IPachClient.WhoAmIAsync));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task HandleAsync_WrongSignatureRandomKey_SignatureDoesNotMatchWithoutAnyPachdCall(SignedAs how)
    {
        var gateway = new Support.Gateway(PachProxy.Wrap(pachd.Client, _calls));

        var r = await SendAsync(gateway, how, "random-" + Guid.NewGuid().ToString("N"), secret: "not-the-key");

        Assert.Equal(403, r.Status);
        Assert.Equal("SignatureDoesNotMatch", r.ErrorCode);
        Assert.Empty(_calls);
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task HandleAsync_SignedUnknownToken_InvalidAccessKeyIdAfterOneWhoAmI(SignedAs how)
    {
        var gateway = new Support.Gateway(PachProxy.Wrap(pachd.Client, _calls));
        var key = "random-" + Guid.NewGuid().ToString("N");

        var r = await SendAsync(gateway, how, key, secret: key);

        Assert.Equal(403, r.Status);
        Assert.Equal("InvalidAccessKeyId", r.ErrorCode);
        Assert.Equal(1, WhoAmICalls);
    }

    [Theory]
    [MemberData(nameof(CompleteForms))]
    public async Task HandleAsync_SignedRootToken_ServedWithOneWhoAmIPerCacheLifetime(SignedAs how)
    {
        var gateway = new Support.Gateway(PachProxy.Wrap(pachd.Client, _calls));

        var first = await SendAsync(gateway, how, pachd.RootToken, pachd.RootToken);
        var second = await SendAsync(gateway, how, pachd.RootToken, pachd.RootToken);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(1, WhoAmICalls);
    }

    [Fact]
    public async Task HandleAsync_FailuresPastTheBurst_SlowDownWithRetryAfterAndNoPachdWork()
    {
        // The limiter's clock stands still (signatures are still made with the real time, well within the allowed skew),
        // so the allowance is exactly the burst however slowly the machine sends.
        var clock = new ManualTimeProvider();
        clock.Set(DateTimeOffset.UtcNow);
        var gateway = new Support.Gateway(PachProxy.Wrap(pachd.Client, _calls), time: clock);
        Assert.Equal(200, (await SendAsync(gateway, SignedAs.SigV4Header, pachd.RootToken, pachd.RootToken, _client)).Status);

        var refused = 0;
        Support.Gateway.Response? slowed = null;
        for (var i = 0; i < 200 && slowed is null; i++)
        {
            var r = await SendAsync(gateway, SignedAs.SigV4Header, "random-" + i.ToString(CultureInfo.InvariantCulture), "wrong", _client);
            if (r.Status == 503)
            {
                slowed = r;
            }
            else
            {
                Assert.Equal("SignatureDoesNotMatch", r.ErrorCode);
                refused++;
            }
        }

        Assert.NotNull(slowed);
        Assert.Equal(new AuthFailureLimitOptions().Burst, refused);
        Assert.Equal("SlowDown", slowed.ErrorCode);
        Assert.True(int.TryParse(slowed.Headers.RetryAfter.ToString(), out var retryAfter) && retryAfter >= 1, "Retry-After in whole seconds");

        // A correctly signed unknown key from the slowed client gets no WhoAmI: that is the work being refused.
        var whoAmIs = WhoAmICalls;
        var unknown = await SendAsync(gateway, SignedAs.SigV4Header, "fresh-key", "fresh-key", _client);
        Assert.Equal("SlowDown", unknown.ErrorCode);
        Assert.Equal(whoAmIs, WhoAmICalls);

        // Successes are never slowed, and other clients are not affected.
        Assert.Equal(200, (await SendAsync(gateway, SignedAs.SigV4Header, pachd.RootToken, pachd.RootToken, _client)).Status);
        Assert.Equal("SignatureDoesNotMatch", (await SendAsync(gateway, SignedAs.SigV4Header, "random", "wrong", _otherClient)).ErrorCode);

        // Once the Retry-After has passed, the client is answered again.
        clock.Advance(TimeSpan.FromSeconds(retryAfter));
        Assert.Equal("SignatureDoesNotMatch", (await SendAsync(gateway, SignedAs.SigV4Header, "random-again", "wrong", _client)).ErrorCode);
    }

    /// <summary>GET / (ListBuckets), or a PUT with an aws-chunked body for the chunked form.</summary>
    private static Task<Support.Gateway.Response> SendAsync(Support.Gateway gateway, SignedAs how, string key, string secret, IPAddress? from = null)
    {
        var chunked = how == SignedAs.AwsChunkedSeed;
        var (method, target) = chunked ? ("PUT", "/master.repo/key") : ("GET", "/");
        var (signedTarget, headers) = S3Signing.Sign(how, method, target, key, secret, DateTimeOffset.UtcNow);
        return gateway.SendAsync(method, signedTarget, chunked ? "5;chunk-signature=" + new string('0', 64) + "\r\nhello\r\n" : null, headers, c => c.Connection.RemoteIpAddress = from);
    }
}
