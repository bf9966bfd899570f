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

    private static readonly TimeSpan _hang = TimeSpan.FromSeconds(10);

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
        await Poll.UntilAsync(() => Calls() == 2);
    }

    [Fact]
    public async Task IsAuthActiveAsync_ModeFlips_StaleAnswerThenTheNewOne()
    {
        _pach.SetupSequence(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).ReturnsAsync(false).ReturnsAsync(true);
        var auth = Create();
        Assert.False(await auth.IsAuthActiveAsync(default));
        _time.Advance(TimeSpan.FromSeconds(11));

        // The request that finds the mode stale is answered with it at once and starts the refresh.
        Assert.False(await auth.IsAuthActiveAsync(default));

        await Poll.UntilAsync(async () => await auth.IsAuthActiveAsync(default));
        _pach.Verify(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task IsAuthActiveAsync_KnownModeAndPachdStopsAnswering_RequestsNotBlockedByTheRefresh()
    {
        var hung = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pach.SetupSequence(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).ReturnsAsync(true).Returns(hung.Task);
        var auth = Create();
        Assert.True(await auth.IsAuthActiveAsync(default));
        _time.Advance(TimeSpan.FromSeconds(11));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => auth.IsAuthActiveAsync(default).AsTask())).WaitAsync(_hang);

        Assert.All(answers, Assert.True);
        await Poll.UntilAsync(() => Calls() == 2);
        Assert.Equal(2, Calls());
        hung.SetResult(true);
    }

    [Fact]
    public async Task IsAuthActiveAsync_RefreshFails_StaleModeServedAndAskedAgainLater()
    {
        var down = new PachException(PachErrorKind.Unavailable, StatusCode.DeadlineExceeded, "no answer");
        _pach.SetupSequence(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).ReturnsAsync(true).ThrowsAsync(down).ReturnsAsync(false);
        var auth = Create();
        Assert.True(await auth.IsAuthActiveAsync(default));
        _time.Advance(TimeSpan.FromSeconds(11));

        Assert.True(await auth.IsAuthActiveAsync(default));
        Assert.True(await auth.ModeCall!.WaitAsync(_hang));
        Assert.True(await auth.IsAuthActiveAsync(default));
        Assert.Equal(2, Calls());

        // A failed refresh is retried after a short pause, not on every request.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await auth.IsAuthActiveAsync(default));
        await Poll.UntilAsync(async () => !await auth.IsAuthActiveAsync(default));
        Assert.Equal(3, Calls());
    }

    [Fact]
    public async Task IsAuthActiveAsync_FirstLearning_ConcurrentCallersShareOneCall()
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pach.Setup(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).Returns(answer.Task);
        var auth = Create();

        var waiting = Enumerable.Range(0, 10).Select(_ => auth.IsAuthActiveAsync(default).AsTask()).ToList();
        await Poll.UntilAsync(() => Calls() == 1);
        Assert.DoesNotContain(waiting, t => t.IsCompleted);
        answer.SetResult(true);

        Assert.All(await Task.WhenAll(waiting).WaitAsync(_hang), Assert.True);
        Assert.Equal(1, Calls());
    }

    [Fact]
    public async Task IsAuthActiveAsync_FirstLearningFails_ErrorThenAskedAgain()
    {
        var down = new PachException(PachErrorKind.Unavailable, StatusCode.Unavailable, "refused");
        _pach.SetupSequence(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).ThrowsAsync(down).ReturnsAsync(false);
        var auth = Create();

        Assert.Same(down, await Assert.ThrowsAsync<PachException>(() => auth.IsAuthActiveAsync(default).AsTask()));
        Assert.False(await auth.IsAuthActiveAsync(default));
    }

    [Fact]
    public async Task IsAuthActiveAsync_FirstLearningAndCallerGivesUp_OnlyItsWaitEnds()
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pach.Setup(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).Returns(answer.Task);
        var auth = Create();
        using var gone = new CancellationTokenSource();

        var leaving = auth.IsAuthActiveAsync(gone.Token).AsTask();
        var staying = auth.IsAuthActiveAsync(default).AsTask();
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(_hang));
        answer.SetResult(true);
        Assert.True(await staying.WaitAsync(_hang));
        Assert.Equal(1, Calls());
    }

    [Fact]
    public async Task IsAuthActiveAsync_NoCaching_EveryRequestAsksWithoutWaitingForOthers()
    {
        var hung = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pach.SetupSequence(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).Returns(hung.Task).ReturnsAsync(false);
        var auth = Create(modeSeconds: 0);

        var stuck = auth.IsAuthActiveAsync(default).AsTask();

        Assert.False(await auth.IsAuthActiveAsync(default).AsTask().WaitAsync(_hang));
        Assert.False(stuck.IsCompleted);
        hung.SetResult(true);
        Assert.True(await stuck.WaitAsync(_hang));
    }

    private int Calls() => _pach.Invocations.Count(i => i.Method.Name == nameof(IPachClient.IsAuthActiveAsync));

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
