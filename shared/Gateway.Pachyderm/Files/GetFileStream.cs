using Gateway.Pachyderm.Client;
using Grpc.Core;

namespace Gateway.Pachyderm.Files;

/// <summary>
/// A read-only, forward-only view of a GetFile server stream. Reads copy out of the current chunk (a pooled buffer,
/// <see cref="FileChunk"/>, returned when it is used up) and pull the next one; disposing cancels the call if it has
/// not finished. Each wait for a chunk is bounded
/// by the call's idle timer (owned by this stream); the time between reads, the caller's, is not.
/// Synchronous reads are not supported: the data arrives over the network and blocking on it would hold a thread.
/// </summary>
internal sealed class GetFileStream : Stream
{
    private readonly AsyncServerStreamingCall<FileChunk> _call;
    private FileChunk? _chunk;
    private ReadOnlyMemory<byte> _current;
    private bool _ended;
    private bool _disposed;
    private long _unread = -1;

    private readonly StreamIdleTimer _timer;

    private GetFileStream(AsyncServerStreamingCall<FileChunk> call, StreamIdleTimer timer, FileChunk? first)
    {
        _call = call;
        _timer = timer;
        _chunk = first;
        _current = first?.Memory ?? ReadOnlyMemory<byte>.Empty;
        _ended = first is null;
    }

    /// <summary>
    /// Waits for the first chunk so that pachd's errors (NOT_FOUND, not a file…) surface here rather than on a later read.
    /// Takes ownership of <paramref name="call"/> and <paramref name="timer"/>.
    /// </summary>
    public static async Task<GetFileStream> OpenAsync(AsyncServerStreamingCall<FileChunk> call, StreamIdleTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            var hasFirst = await MoveNextAsync(call, timer, cancellationToken).ConfigureAwait(false);
            return new GetFileStream(call, timer, hasFirst ? call.ResponseStream.Current : null);
        }
        catch
        {
            call.Dispose();
            timer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Tells the stream how many bytes the file holds from where it started: once they are read, the stream reads the
    /// call's end at once, so the call completes rather than being cancelled when the reader disposes it.
    /// </summary>
    public void ExpectLength(long length) => _unread = length;

    /// <summary>The call's response headers (received by the time <see cref="OpenAsync"/> returns).</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.ResponseHeadersAsync;

    /// <inheritdoc/>
    public override bool CanRead => !_disposed;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException("A GetFile stream has no known length.");

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException("A GetFile stream cannot report its position.");
        set => throw new NotSupportedException("A GetFile stream cannot seek.");
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }
        while (_current.IsEmpty)
        {
            if (!await NextChunkAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
        }
        var count = Math.Min(buffer.Length, _current.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        if (_unread > 0 && (_unread -= count) == 0 && _current.IsEmpty)
        {
            // The end (trailers) follows the last byte.
            await NextChunkAsync(cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes each received chunk straight to <paramref name="destination"/>, without an intermediate buffer.</summary>
    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (!_current.IsEmpty)
            {
                // A completed write no longer needs the memory it was given, so the chunk can go back to the pool.
                await destination.WriteAsync(_current, cancellationToken).ConfigureAwait(false);
                _current = ReadOnlyMemory<byte>.Empty;
            }
            if (!await NextChunkAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("GetFile streams are asynchronous only; use ReadAsync or CopyToAsync.");

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A GetFile stream cannot seek.");

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException("A GetFile stream is read-only.");

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A GetFile stream is read-only.");

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            // Cancels the server stream if it is still running; a no-op once it has completed.
            _call.Dispose();
            _timer.Dispose();
            _current = ReadOnlyMemory<byte>.Empty;
            _chunk?.Return();
            _chunk = null;
        }
        base.Dispose(disposing);
    }

    /// <summary>Returns the used-up chunk to the pool and makes the next one current; false at the end of the stream.</summary>
    private async Task<bool> NextChunkAsync(CancellationToken cancellationToken)
    {
        _chunk?.Return();
        _chunk = null;
        if (_ended || !await MoveNextAsync(_call, _timer, cancellationToken).ConfigureAwait(false))
        {
            _ended = true;
            return false;
        }

        _chunk = _call.ResponseStream.Current;
        _current = _chunk.Memory;
        return true;
    }

    private static async Task<bool> MoveNextAsync(AsyncServerStreamingCall<FileChunk> call, StreamIdleTimer timer, CancellationToken cancellationToken)
    {
        using var waiting = timer.Waiting();
        try
        {
            return await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw timer.Translate(e, cancellationToken);
        }
        catch (OperationCanceledException e) when (timer.Expired)
        {
            throw timer.TimedOut(e);
        }
    }
}
