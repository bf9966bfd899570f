namespace Gateway.Integration.Tests.Health;

/// <summary>
/// A request body that arrives slowly: <c>chunks</c> chunks of <c>chunkSize</c> bytes, one every <c>interval</c>, so a
/// transfer is still in flight for as long as a test needs. <see cref="Started"/> completes when the first bytes go out.
/// </summary>
internal sealed class TrickleStream(int chunks, int chunkSize, TimeSpan interval) : Stream
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sentChunks;
    private int _inChunk;

    /// <summary>Completes when the first chunk has been handed to the HTTP client.</summary>
    public Task Started => _started.Task;

    /// <summary>The body's length.</summary>
    public override long Length => (long)chunks * chunkSize;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Position
    {
        get => ((long)_sentChunks * chunkSize) + _inChunk;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_sentChunks == chunks)
        {
            return 0;
        }

        if (_inChunk == 0 && _sentChunks > 0)
        {
            await Task.Delay(interval, cancellationToken);
        }

        var n = Math.Min(buffer.Length, chunkSize - _inChunk);
        buffer.Span[..n].Fill((byte)'a');
        _inChunk += n;
        if (_inChunk == chunkSize)
        {
            _inChunk = 0;
            _sentChunks++;
        }

        _started.TrySetResult();
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous reads only");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
