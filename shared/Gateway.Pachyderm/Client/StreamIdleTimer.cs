using System.Globalization;
using Grpc.Core;

namespace Gateway.Pachyderm.Client;

/// <summary>
/// The idle timeout of one streaming call (<see cref="PachClientOptions.StreamIdleTimeout"/>). Its <see cref="Token"/>,
/// linked to the caller's, is the call's cancellation token; <see cref="Waiting"/> arms it around each wait on pachd
/// and disarms it after, so time the caller spends between reads or writes (a slow S3 client) never counts, while a
/// pachd that stops sending, stops reading or never answers the half-close gets the call cancelled.
/// </summary>
internal sealed class StreamIdleTimer : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _caller;
    private readonly TimeSpan _idle;

    public StreamIdleTimer(TimeSpan idle, CancellationToken caller)
    {
        _idle = idle;
        _caller = caller;
        _source = CancellationTokenSource.CreateLinkedTokenSource(caller);
    }

    /// <summary>The call's token: cancelled by the caller or when a wait on pachd outlasts the timeout.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True when the timeout, not the caller, cancelled the call.</summary>
    public bool Expired => _source.IsCancellationRequested && !_caller.IsCancellationRequested;

    /// <summary>Arms the timer until the returned value is disposed.</summary>
    public Armed Waiting()
    {
        if (_idle != Timeout.InfiniteTimeSpan)
        {
            _source.CancelAfter(_idle);
        }

        return new Armed(this);
    }

    /// <summary>
    /// What a call site throws for a failed call: the timeout as <see cref="PachErrorKind.Unavailable"/> when it fired,
    /// else as <see cref="PachErrors.Translate"/> says (<paramref name="waitToken"/>: the token of this one wait).
    /// </summary>
    public Exception Translate(RpcException exception, CancellationToken waitToken) =>
        Expired ? TimedOut(exception) : PachErrors.Translate(exception, waitToken, _caller);

    /// <summary>The error for a call the timeout cancelled.</summary>
    public PachException TimedOut(Exception inner) => new(
        PachErrorKind.Unavailable,
        StatusCode.DeadlineExceeded,
        $"pachd did not move the stream for {_idle.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s",
        inner);

    /// <inheritdoc/>
    public void Dispose() => _source.Dispose();

    private void Disarm()
    {
        if (_idle == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        try
        {
            _source.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The call ended and took the timer with it.
        }
    }

    /// <summary>Disarms the timer when disposed.</summary>
    public readonly struct Armed : IDisposable
    {
        private readonly StreamIdleTimer _timer;

        internal Armed(StreamIdleTimer timer) => _timer = timer;

        /// <inheritdoc/>
        public void Dispose() => _timer?.Disarm();
    }
}
