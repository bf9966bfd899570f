using System.Text;

namespace Gateway.S3.Tests.Fuzz;

/// <summary>A request body of a prefix and then one filler repeated for ever, counting what it served (parsers must stop early).</summary>
internal sealed class EndlessBody(string prefix, string filler) : Stream
{
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes(prefix);
    private readonly byte[] _filler = Encoding.UTF8.GetBytes(filler);

    public long Served { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Served; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var p = Served + i;
            buffer[offset + i] = p < _prefix.Length ? _prefix[p] : _filler[(p - _prefix.Length) % _filler.Length];
        }

        Served += count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
