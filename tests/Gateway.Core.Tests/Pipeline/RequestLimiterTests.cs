using Gateway.Core.Pipeline;
using Gateway.S3.Errors;
using Gateway.S3.Routing;

namespace Gateway.Core.Tests.Pipeline;

public sealed class RequestLimiterTests
{
    private static readonly TimeSpan _hang = TimeSpan.FromSeconds(10);

    private static RequestLimiter Create(int transfers = 1, int requests = 1, double queueSeconds = 0, int retryAfter = 1) =>
        new(new GatewayOptions { MaxConcurrentTransfers = transfers, MaxConcurrentRequests = requests, QueueSeconds = queueSeconds, RetryAfterSeconds = retryAfter });

    [Theory]
    [InlineData(S3Operation.PutObject, true)]
    [InlineData(S3Operation.GetObject, true)]
    [InlineData(S3Operation.UploadPart, true)]
    [InlineData(S3Operation.CopyObject, true)]
    [InlineData(S3Operation.UploadPartCopy, true)]
    [InlineData(S3Operation.HeadObject, false)]
    [InlineData(S3Operation.ListObjectsV2, false)]
    [InlineData(S3Operation.CompleteMultipartUpload, false)]
    [InlineData(S3Operation.DeleteObjects, false)]
    public void IsTransfer_Operation_CountedInTheTransferPool(S3Operation operation, bool transfer) =>
        Assert.Equal(transfer, RequestLimiter.IsTransfer(operation));

    [Fact]
    public async Task AcquireAsync_PoolFull_SlowDownWithRetryAfter()
    {
        var limiter = Create(transfers: 1, retryAfter: 4);
        using var first = await limiter.AcquireAsync(S3Operation.PutObject, default);

        var error = await Assert.ThrowsAsync<S3Exception>(() => limiter.AcquireAsync(S3Operation.GetObject, default).AsTask());

        Assert.Equal("SlowDown", error.Error.Code);
        Assert.Equal(503, error.Error.StatusCode);
        Assert.Equal("4", error.Headers?["Retry-After"]);
    }

    [Fact]
    public async Task AcquireAsync_PlaceGivenBack_Served()
    {
        var limiter = Create(transfers: 1);
        var first = await limiter.AcquireAsync(S3Operation.PutObject, default);
        first.Dispose();

        using var second = await limiter.AcquireAsync(S3Operation.PutObject, default);
    }

    [Fact]
    public async Task AcquireAsync_TransfersFull_OtherRequestsStillServed()
    {
        var limiter = Create(transfers: 1, requests: 2);
        using var transfer = await limiter.AcquireAsync(S3Operation.GetObject, default);

        using var head = await limiter.AcquireAsync(S3Operation.HeadObject, default);
        using var list = await limiter.AcquireAsync(S3Operation.ListObjectsV2, default);
        await Assert.ThrowsAsync<S3Exception>(() => limiter.AcquireAsync(S3Operation.ListBuckets, default).AsTask());
    }

    [Fact]
    public async Task AcquireAsync_PlaceFreesWhileQueued_ServedInsteadOfSlowDown()
    {
        var limiter = Create(transfers: 1, queueSeconds: 30);
        var first = await limiter.AcquireAsync(S3Operation.PutObject, default);

        var queued = limiter.AcquireAsync(S3Operation.PutObject, default).AsTask();
        Assert.False(queued.IsCompleted);
        first.Dispose();

        using var second = await queued.WaitAsync(_hang);
    }

    [Fact]
    public async Task AcquireAsync_QueueFull_SlowDownAtOnce()
    {
        var limiter = Create(transfers: 1, queueSeconds: 30);
        using var first = await limiter.AcquireAsync(S3Operation.PutObject, default);
        using var gone = new CancellationTokenSource();
        var queued = limiter.AcquireAsync(S3Operation.PutObject, gone.Token).AsTask();

        // As many wait as the bound (1): the next is answered without waiting the 30 s.
        await Assert.ThrowsAsync<S3Exception>(() => limiter.AcquireAsync(S3Operation.PutObject, default).AsTask().WaitAsync(_hang));

        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(_hang));
    }

    [Fact]
    public async Task AcquireAsync_NoBound_NeverRefuses()
    {
        var limiter = Create(transfers: 0, requests: 0);

        var leases = new List<RequestLimiter.Lease>();
        for (var i = 0; i < 1000; i++)
        {
            leases.Add(await limiter.AcquireAsync(i % 2 == 0 ? S3Operation.GetObject : S3Operation.HeadObject, default));
        }

        leases.ForEach(l => l.Dispose());
    }

    [Theory]
    [InlineData(4L << 30, 2, 64)]
    [InlineData(1L << 30, 2, 16)]
    [InlineData(512L << 20, 8, 16)]
    [InlineData(64L << 30, 4, 128)]
    [InlineData(256L << 30, 64, 256)]
    public void MachineTransfers_MemoryAndProcessors_Bounded(long memory, int processors, int expected) =>
        Assert.Equal(expected, GatewayOptions.MachineTransfers(memory, processors));
}
