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

public sealed class PachCredentialResolverTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly Mock<IPachClient> _pach = new(MockBehavior.Strict);
    private readonly Mock<IPachClient> _withToken = new(MockBehavior.Strict);

    private PachCredentialResolver Create() => new(
        new PachAuthenticator(_pach.Object, Options.Create(new GatewayOptions()), _time, NullLogger<PachAuthenticator>.Instance),
        _time);

    [Theory]
    [InlineData("anything")]
    [InlineData("a-pachd-token")]
    public void GetSecretKey_AnyKey_TheKeyItselfWithoutAskingPachd(string key)
    {
        Assert.Equal(key, Create().GetSecretKey(key));
        _pach.VerifyNoOtherCalls();
    }

    [Fact]
    public void GetSecretKey_Empty_Null()
    {
        Assert.Null(Create().GetSecretKey(string.Empty));
    }

    [Fact]
    public async Task ConfirmAsync_TokenPachdAccepts_KnownForFifteenMinutes()
    {
        _pach.Setup(p => p.WithToken("tok")).Returns(_withToken.Object);
        _withToken.Setup(p => p.WhoAmIAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new WhoAmIResponse { Username = "u" });
        var resolver = Create();
        Assert.False(resolver.IsKnown("tok"));

        await resolver.ConfirmAsync("tok", default);

        Assert.True(resolver.IsKnown("tok"));
        _time.Advance(TimeSpan.FromMinutes(16));
        Assert.False(resolver.IsKnown("tok"));
        _withToken.Verify(p => p.WhoAmIAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ConfirmAsync_TokenPachdRejects_InvalidAccessKeyIdAndNotKnown()
    {
        _pach.Setup(p => p.WithToken("bad")).Returns(_withToken.Object);
        _withToken.Setup(p => p.WhoAmIAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new PachException(PachErrorKind.BadToken, StatusCode.Unauthenticated, "nope"));
        var resolver = Create();

        var e = await Assert.ThrowsAsync<S3Exception>(() => resolver.ConfirmAsync("bad", default).AsTask());

        Assert.Same(S3Errors.InvalidAccessKeyId, e.Error);
        Assert.False(resolver.IsKnown("bad"));
    }
}
