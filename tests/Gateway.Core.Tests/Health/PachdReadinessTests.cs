using Gateway.Core.Health;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Gateway.Core.Tests.Health;

public sealed class PachdReadinessTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly Mock<IPachClient> _pach = new(MockBehavior.Strict);

    private PachdReadiness Create(double timeoutSeconds = 2, double cacheSeconds = 1) =>
        new(_pach.Object, TimeSpan.FromSeconds(timeoutSeconds), TimeSpan.FromSeconds(cacheSeconds), _time, NullLogger.Instance);

    private static PachException Unavailable() =>
        new(PachErrorKind.Unavailable, StatusCode.Unavailable, "connection refused");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IsReadyAsync_PachdAnswers_ReadyWithItsAuthMode(bool authActive)
    {
        _pach.Setup(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).ReturnsAsync(authActive);
        var readiness = Create();

        Assert.True(await readiness.IsReadyAsync(default));
        Assert.Equal(authActive, readiness.AuthActive);
    }

    [Fact]
    public async Task IsReadyAsync_PachdUnavailable_NotReady()
    {
        _pach.Setup(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).ThrowsAsync(Unavailable());

        Assert.False(await Create().IsReadyAsync(default));
    }

    [Fact]
    public async Task IsReadyAsync_UnexpectedFailure_NotReady()
    {
        _pach.Setup(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("boom"));

        Assert.False(await Create().IsReadyAsync(default));
    }

    [Fact]
    public async Task IsReadyAsync_PachdHangs_NotReadyAfterTheTimeout()
    {
        // A pachd that accepts the call and never answers (the call ends only when its token is cancelled).
        _pach.Setup(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>()))
            .Returns(async (CancellationToken ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return true;
            });
        var readiness = new PachdReadiness(_pach.Object, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeProvider.System, NullLogger.Instance);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.False(await readiness.IsReadyAsync(default).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(150), $"answered after {clock.Elapsed.TotalMilliseconds:F0} ms, before the timeout");
    }

    [Fact]
    public async Task IsReadyAsync_WithinCachePeriod_AsksPachdOnce()
    {
        _pach.Setup(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).ReturnsAsync(false);
        var readiness = Create(cacheSeconds: 1);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(await readiness.IsReadyAsync(default));
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        _pach.Verify(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>()), Times.Once);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await readiness.IsReadyAsync(default));
        _pach.Verify(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task IsReadyAsync_ConcurrentProbes_ShareOnePachdCall()
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pach.Setup(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).Returns(answer.Task);
        var readiness = Create();

        var probes = Enumerable.Range(0, 20).Select(_ => readiness.IsReadyAsync(default)).ToArray();
        answer.SetResult(true);
        var results = await Task.WhenAll(probes).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(results, Assert.True);
        _pach.Verify(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task IsReadyAsync_PachdGoesAndComesBack_FollowsAfterTheCachePeriod()
    {
        _pach.SetupSequence(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(true)
            .ThrowsAsync(Unavailable())
            .ReturnsAsync(true);
        var readiness = Create(cacheSeconds: 1);

        Assert.True(await readiness.IsReadyAsync(default));
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(await readiness.IsReadyAsync(default));
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.False(await readiness.IsReadyAsync(default));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await readiness.IsReadyAsync(default));
        Assert.True(readiness.AuthActive);
    }

    [Fact]
    public async Task IsReadyAsync_CallerGivesUp_ProbeGoesOnForOthers()
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pach.Setup(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).Returns(answer.Task);
        var readiness = Create();
        using var impatient = new CancellationTokenSource();

        var first = readiness.IsReadyAsync(impatient.Token);
        var second = readiness.IsReadyAsync(default);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        answer.SetResult(false);

        Assert.True(await second.WaitAsync(TimeSpan.FromSeconds(30)));
        _pach.Verify(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>()), Times.Once);
    }
}
