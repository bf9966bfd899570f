namespace Gateway.Integration.Tests.Integrity;

/// <summary>
/// A seekable stream of <c>length</c> pseudo-random bytes computed from the position, so a 100 MiB upload needs
/// no 100 MiB array and a download can be compared without keeping the original.
/// </summary>
public sealed class GeneratedStream(long length, int seed) : Stream
{
    // A prime period, so the pattern never lines up with chunk or buffer sizes.
    private const int _period = 65521;
    private readonly byte[] _pattern = Pattern(seed);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get; set; }

    /// <summary>The byte at <paramref name="position"/> of a stream made with <paramref name="seed"/>.</summary>
    public static void Fill(byte[] pattern, long position, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var offset = (int)(position % _period);
        var written = 0;
        while (written < destination.Length)
        {
            var n = Math.Min(destination.Length - written, _period - offset);
            pattern.AsSpan(offset, n).CopyTo(destination[written..]);
            written += n;
            offset = 0;
        }
    }

    /// <summary>The repeating pattern of a seed.</summary>
    public static byte[] Pattern(int seed)
    {
        var pattern = new byte[_period];
        new Random(seed).NextBytes(pattern);
        return pattern;
    }

    /// <summary>
    /// Reads <paramref name="actual"/> to the end and returns the first differing offset, or -1 when it holds
    /// exactly the <paramref name="length"/> bytes of the seed's stream.
    /// </summary>
    public static async Task<long> FirstDifferenceAsync(Stream actual, long length, int seed)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var pattern = Pattern(seed);
        var buffer = new byte[81920];
        var expected = new byte[buffer.Length];
        long position = 0;
        int n;
        while ((n = await actual.ReadAsync(buffer)) > 0)
        {
            if (position + n > length)
            {
                return length;
            }

            Fill(pattern, position, expected.AsSpan(0, n));
            var mismatch = buffer.AsSpan(0, n).CommonPrefixLength(expected.AsSpan(0, n));
            if (mismatch < n)
            {
                return position + mismatch;
            }

            position += n;
        }

        return position == length ? -1 : position;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, Math.Max(0, length - Position));
        Fill(_pattern, Position, buffer[..n]);
        Position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => Position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
