using Gateway.Core.Auth;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Auth;
using Gateway.S3.Errors;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Gateway.Core.Tests.Auth;

public sealed class PachAuthenticatorTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly Mock<IPachClient> _pach = new(MockBehavior.Strict);
    private readonly Mock<IPachClient> _withToken = new(MockBehavior.Strict);

    private PachAuthenticator Create(int tokenSeconds = 30, int modeSeconds = 10) => new(
        _pach.Object,
        Options.Create(new GatewayOptions { AuthCacheSeconds = tokenSeconds, AuthModeCacheSeconds = modeSeconds }),
        _time,
        NullLogger<PachAuthenticator>.Instance);

    [Fact]
    public async Task IsAuthActiveAsync_WithinTtl_AsksPachdOnce()
    {
        _pach.Setup(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var auth = Create();

        Assert.True(await auth.IsAuthActiveAsync(default));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(await auth.IsAuthActiveAsync(default));
        _pach.Verify(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>()), Times.Once);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await auth.IsAuthActiveAsync(default));
        _pach.Verify(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task IsAuthActiveAsync_ModeFlips_SeenAfterTtl()
    {
        _pach.SetupSequence(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).ReturnsAsync(false).ReturnsAsync(true);
        var auth = Create();
        Assert.False(await auth.IsAuthActiveAsync(default));
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.True(await auth.IsAuthActiveAsync(default));
    }

    [Fact]
    public async Task ValidateTokenAsync_GoodToken_WhoAmIOncePerTtlWithThatToken()
    {
        _pach.Setup(p => p.WithToken("tok")).Returns(_withToken.Object);
        _withToken.Setup(p => p.WhoAmIAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new WhoAmIResponse { Username = "pach:root" });
        var auth = Create(tokenSeconds: 30);

        Assert.True(await auth.ValidateTokenAsync("tok", default));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(await auth.ValidateTokenAsync("tok", default));
        _withToken.Verify(p => p.WhoAmIAsync(It.IsAny<CancellationToken>()), Times.Once);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await auth.ValidateTokenAsync("tok", default));
        _withToken.Verify(p => p.WhoAmIAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task ValidateTokenAsync_TokenExpiresBeforeTtl_CachedOnlyUntilExpiry()
    {
        _pach.Setup(p => p.WithToken("tok")).Returns(_withToken.Object);
        _withToken.Setup(p => p.WhoAmIAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new WhoAmIResponse
        {
            Username = "robot:x",
            Expiration = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(_time.GetUtcNow().AddSeconds(5)),
        });
        var auth = Create(tokenSeconds: 60);
        await auth.ValidateTokenAsync("tok", default);
        _time.Advance(TimeSpan.FromSeconds(6));
        await auth.ValidateTokenAsync("tok", default);
        _withToken.Verify(p => p.WhoAmIAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Theory]
    [InlineData(PachErrorKind.BadToken)]
    [InlineData(PachErrorKind.NoToken)]
    public async Task ValidateTokenAsync_RejectedToken_InvalidAccessKeyIdAndNotCached(PachErrorKind kind)
    {
        _pach.Setup(p => p.WithToken("bad")).Returns(_withToken.Object);
        _withToken.Setup(p => p.WhoAmIAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new PachException(kind, StatusCode.Unauthenticated, "nope"));
        var auth = Create();

        var e = await Assert.ThrowsAsync<S3Exception>(() => auth.ValidateTokenAsync("bad", default).AsTask());
        Assert.Equal("InvalidAccessKeyId", e.Error.Code);
        await Assert.ThrowsAsync<S3Exception>(() => auth.ValidateTokenAsync("bad", default).AsTask());
        _withToken.Verify(p => p.WhoAmIAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public void TokenId_IsSha256Hex_NotTheToken()
    {
        var id = PachAuthenticator.TokenId("secret-token");
        Assert.Equal(64, id.Length);
        Assert.DoesNotContain("secret", id, StringComparison.Ordinal);
    }
}
