using System.Buffers.Binary;
using System.IO.Hashing;

namespace Gateway.Benchmarks;

/// <summary>
/// A read-only stream of <paramref name="length"/> xorshift64* bytes, generated on the fly (no file, no big buffer),
/// hashing what it hands out so the download can be checked against it.
/// </summary>
internal sealed class PrngStream(long length, ulong seed) : Stream
{
    private readonly XxHash3 _hash = new();
    private ulong _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;
    private long _position;

    /// <summary>XxHash3 of everything read so far.</summary>
    public ulong Hash => _hash.GetCurrentHashAsUInt64();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        // Whole 8-byte words only until the end, so the byte sequence does not depend on read sizes.
        var count = (int)Math.Min(buffer.Length & ~7, length - _position);
        if (count <= 0 && _position < length)
        {
            count = (int)Math.Min(buffer.Length, length - _position);
        }
        var span = buffer[..count];
        var words = count / 8;
        for (var i = 0; i < words; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(i * 8, 8), Next());
        }
        if (count % 8 != 0)
        {
            Span<byte> last = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(last, Next());
            last[..(count % 8)].CopyTo(span[(words * 8)..]);
        }
        _hash.Append(span);
        _position += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private ulong Next()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 0x2545F4914F6CDD1DUL;
    }
}
