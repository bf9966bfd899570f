using Gateway.S3.Body;
using Gateway.S3.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Xml.Requests;

/// <summary>
/// What an XML request body reader reads through: more than the byte limit is MaxMessageLengthExceeded (also when the
/// server refused the body for it first: Kestrel enforces the same limit, set by the operation's row), found without
/// reading more than one byte past the limit, and more than
/// <see cref="MaxMarkupBytes"/> without a <c>&lt;</c> is MalformedXML. The second bound keeps the XmlReader's memory
/// small whatever the body: the reader holds a whole start tag (all its attributes) or text run before handing it
/// over, and neither can hold a <c>&lt;</c>, so neither grows past the bound. UTF-8 never has 0x3C inside a longer
/// sequence, so the byte stands for the character.
/// </summary>
internal sealed class XmlBodyStream : ReadOnlyStream
{
    /// <summary>
    /// The most bytes from one <c>&lt;</c> to the next: far above any start tag, key (1,024 bytes, five times that as
    /// character references) or value the S3 bodies hold, far below what would cost memory.
    /// </summary>
    public const int MaxMarkupBytes = 64 * 1024;

    private readonly Stream _inner;
    private readonly long _maxBytes;
    private long _sinceMarkup;

    public XmlBodyStream(Stream inner, long maxBytes)
    {
        _inner = inner;
        _maxBytes = maxBytes;
    }

    /// <summary>Bytes read so far.</summary>
    public long BytesRead { get; private set; }

    /// <inheritdoc />
    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        buffer = buffer[..Allowance(buffer.Length)];
        int n;
        try
        {
            n = _inner.Read(buffer);
        }
        catch (Exception e) when (IsRefusedAsTooLarge(e))
        {
            throw TooLong(e);
        }

        Count(buffer[..n]);
        return n;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        buffer = buffer[..Allowance(buffer.Length)];
        int n;
        try
        {
            n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRefusedAsTooLarge(e))
        {
            throw TooLong(e);
        }

        Count(buffer.Span[..n]);
        return n;
    }

    /// <summary>
    /// How much of a read of <paramref name="length"/> bytes to ask for: the allowance left and one byte more, which tells
    /// a body over the limit, so the request is never read further than that byte.
    /// </summary>
    private int Allowance(int length) =>
        BytesRead > _maxBytes ? throw TooLong(null) : (int)Math.Min(length, _maxBytes - BytesRead + 1);

    private void Count(ReadOnlySpan<byte> data)
    {
        BytesRead += data.Length;
        if (BytesRead > _maxBytes)
        {
            throw TooLong(null);
        }

        var run = _sinceMarkup;
        while (true)
        {
            var markup = data.IndexOf((byte)'<');
            run += markup < 0 ? data.Length : markup;
            if (run > MaxMarkupBytes)
            {
                throw new S3Exception(S3Errors.MalformedXml);
            }

            if (markup < 0)
            {
                break;
            }

            run = 0;
            data = data[(markup + 1)..];
        }

        _sinceMarkup = run;
    }

    /// <summary>
    /// The server's refusal of a body over its limit: Kestrel's 413, or the same as the verifying stream reports it
    /// (EntityTooLarge, the answer for object data). For an XML body that limit is this one.
    /// </summary>
    private static bool IsRefusedAsTooLarge(Exception e) => e switch
    {
        BadHttpRequestException bad => bad.StatusCode == StatusCodes.Status413PayloadTooLarge,
        S3Exception s3 => s3.Error == S3Errors.EntityTooLarge,
        _ => false,
    };

    private static S3Exception TooLong(Exception? inner) => new(S3Errors.MaxMessageLengthExceeded, innerException: inner);
}
