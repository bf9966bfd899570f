namespace Gateway.Benchmarks.S3Bench.Stores;

/// <summary>
/// <see cref="PrngStream"/> that also seeks, as the S3 SDK wants of an upload body (it rewinds before sending, and
/// wraps a part in a window of its stream): a seek starts the generator again and skips to the position, so nothing
/// is kept in memory. <see cref="Hash"/> covers the bytes read since the last seek to the start.
/// </summary>
internal sealed class RewindablePrngStream(long length, ulong seed) : Stream
{
    private PrngStream _inner = new(length, seed);

    /// <summary>XxHash3 of everything read since the stream last started from byte 0.</summary>
    public ulong Hash => _inner.Hash;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _inner.Position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(Span<byte> buffer) => _inner.Read(buffer);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_inner.Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(_inner.Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _inner.Position + offset,
            _ => length + offset,
        };
        if (target < 0 || target > length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset));
        }

        if (target != _inner.Position)
        {
            if (target < _inner.Position)
            {
                _inner = new PrngStream(length, seed);
            }

            // Whole 8-byte words up to a position that is a multiple of 8 (parts are): the bytes after it are the same as in one read.
            Span<byte> skip = stackalloc byte[4096];
            while (_inner.Position < target)
            {
                _inner.ReadExactly(skip[..(int)Math.Min(skip.Length, target - _inner.Position)]);
            }
        }

        return target;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
