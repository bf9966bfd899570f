using System.Text;

namespace Gateway.S3.Tests.Xml;

/// <summary>
/// A body made on demand: <c>head</c>, then <c>unit</c> repeated <c>count</c> times, then <c>tail</c>, so a test can
/// send many megabytes without holding them. Every read completes synchronously; <see cref="BytesRead"/> tells how far
/// the reader got.
/// </summary>
internal sealed class PatternStream : Stream
{
    private readonly byte[] _head;
    private readonly byte[] _unit;
    private readonly byte[] _tail;
    private readonly long _length;

    private readonly bool _asyncOnly;
    private readonly int _maxChunk;

    /// <param name="head">Bytes first.</param>
    /// <param name="unit">Bytes repeated.</param>
    /// <param name="count">How many times <paramref name="unit"/> is repeated.</param>
    /// <param name="tail">Bytes last.</param>
    /// <param name="asyncOnly">Refuse synchronous reads, as Kestrel does.</param>
    /// <param name="maxChunk">Most bytes one read returns.</param>
    public PatternStream(string head, string unit, long count, string tail, bool asyncOnly = false, int maxChunk = int.MaxValue)
    {
        _asyncOnly = asyncOnly;
        _maxChunk = maxChunk;
        _head = Encoding.UTF8.GetBytes(head);
        _unit = Encoding.UTF8.GetBytes(unit);
        _tail = Encoding.UTF8.GetBytes(tail);
        _length = _head.Length + (_unit.Length * count) + _tail.Length;
    }

    /// <summary>Bytes handed to the reader so far.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) =>
        _asyncOnly ? throw new InvalidOperationException("Synchronous operations are disallowed.") : Fill(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Fill(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Fill(buffer.Span));

    private int Fill(Span<byte> buffer)
    {
        var n = 0;
        while (n < buffer.Length && n < _maxChunk && BytesRead < _length)
        {
            buffer[n++] = ByteAt(BytesRead++);
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private byte ByteAt(long position)
    {
        if (position < _head.Length)
        {
            return _head[position];
        }

        var inBody = position - _head.Length;
        var bodyLength = _length - _head.Length - _tail.Length;
        return inBody < bodyLength ? _unit[inBody % _unit.Length] : _tail[inBody - bodyLength];
    }
}
