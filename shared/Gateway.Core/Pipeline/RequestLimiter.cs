using System.Collections.Frozen;
using Gateway.Core.Errors;
using Gateway.S3.Routing;

namespace Gateway.Core.Pipeline;

/// <summary>
/// Bounds how many requests the gateway serves at once, so a burst costs clients a retry instead of costing the process
/// its memory or pachd its connections. Two pools, so that big transfers never starve small requests: object
/// transfers (<see cref="GatewayOptions.MaxConcurrentTransfers"/>) and everything else
/// (<see cref="GatewayOptions.MaxConcurrentRequests"/>). Past a pool's bound a request waits up to
/// <see cref="GatewayOptions.QueueSeconds"/> for a place (at most as many wait as the bound; the rest are not
/// queued), then is answered SlowDown with Retry-After. A request holds its place until its response is written, and
/// each holds at most one pachd stream at a time, so the bounds also bound the pachd streams in flight.
/// </summary>
internal sealed class RequestLimiter
{
    /// <summary>The operations that stream object data through the gateway.</summary>
    private static readonly FrozenSet<S3Operation> _transfers = FrozenSet.Create(
        S3Operation.PutObject, S3Operation.GetObject, S3Operation.UploadPart, S3Operation.CopyObject, S3Operation.UploadPartCopy);

    private readonly Pool? _transferPool;
    private readonly Pool? _requestPool;
    private readonly int _retryAfterSeconds;

    public RequestLimiter(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wait = TimeSpan.FromSeconds(Math.Max(0, options.QueueSeconds));
        _transferPool = Pool.For(options.MaxConcurrentTransfers, wait);
        _requestPool = Pool.For(options.MaxConcurrentRequests, wait);
        _retryAfterSeconds = options.RetryAfterSeconds;
    }

    /// <summary>True for the operations counted as transfers.</summary>
    public static bool IsTransfer(S3Operation operation) => _transfers.Contains(operation);

    /// <summary>
    /// A place for a request of <paramref name="operation"/>, held until the returned lease is disposed; SlowDown
    /// when none frees up in time. <paramref name="cancellationToken"/> (the client going away) ends the wait.
    /// </summary>
    public ValueTask<Lease> AcquireAsync(S3Operation operation, CancellationToken cancellationToken)
    {
        var pool = IsTransfer(operation) ? _transferPool : _requestPool;
        if (pool is null)
        {
            return ValueTask.FromResult(default(Lease));
        }

        // The common case, a free place, completes without allocating.
        return pool.TryEnterNow() ? ValueTask.FromResult(new Lease(pool)) : WaitAsync(pool, cancellationToken);
    }

    private async ValueTask<Lease> WaitAsync(Pool pool, CancellationToken cancellationToken) =>
        await pool.TryEnterAsync(cancellationToken).ConfigureAwait(false)
            ? new Lease(pool)
            : throw RetryLater.SlowDown(_retryAfterSeconds);

    /// <summary>A place in a pool; disposing it gives the place back (the default value holds none).</summary>
    internal readonly struct Lease : IDisposable
    {
        private readonly Pool? _pool;

        internal Lease(Pool pool) => _pool = pool;

        /// <inheritdoc/>
        public void Dispose() => _pool?.Exit();
    }

    /// <summary>A bound and its short queue.</summary>
    internal sealed class Pool
    {
        private readonly SemaphoreSlim _places;
        private readonly int _maxWaiting;
        private readonly TimeSpan _wait;
        private int _waiting;

        private Pool(int bound, TimeSpan wait)
        {
            _places = new SemaphoreSlim(bound, bound);
            _maxWaiting = bound;
            _wait = wait;
        }

        /// <summary>A pool for <paramref name="bound"/> places; null (no bound) for 0 or less.</summary>
        public static Pool? For(int bound, TimeSpan wait) => bound > 0 ? new Pool(bound, wait) : null;

        public bool TryEnterNow() => _places.Wait(0);

        public async ValueTask<bool> TryEnterAsync(CancellationToken cancellationToken)
        {
            if (_wait <= TimeSpan.Zero)
            {
                return false;
            }

            if (Interlocked.Increment(ref _waiting) > _maxWaiting)
            {
                Interlocked.Decrement(ref _waiting);
                return false;
            }

            try
            {
                return await _places.WaitAsync(_wait, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        public void Exit() => _places.Release();
    }
}
