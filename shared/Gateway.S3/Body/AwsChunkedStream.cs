using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gateway.S3.Auth;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;

namespace Gateway.S3.Body;

/// <summary>
/// Decodes an <c>aws-chunked</c> body (<c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]</c>,
/// <c>STREAMING-UNSIGNED-PAYLOAD-TRAILER</c>) into the object's bytes. Chunk data is streamed through
/// as it arrives (never a whole chunk buffered); each chunk signature is checked when its data ends,
/// chaining from the seed signature, and the trailer (checksums plus, when signed, its own signature)
/// is read and verified before end-of-stream is reported. Any failure throws <see cref="S3Exception"/>
/// before the final 0-byte read, so consumers that commit at end-of-stream never commit bad data.
/// </summary>
public sealed class AwsChunkedStream : ReadOnlyStream
{
    private const int _bufferSize = 64 * 1024;
    private const int _maxLineLength = 4096;
    private const int _maxTrailerBytes = 16 * 1024;
    private const string _chunkSignaturePrefix = "chunk-signature=";

    private readonly Stream _inner;
    private readonly bool _signed;
    private readonly bool _expectTrailer;
    private readonly SigV4SigningContext? _signing;
    private readonly IReadOnlyList<string> _declaredTrailers;
    private readonly IncrementalHash? _chunkHash;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private long _chunkRemaining;
    private string? _chunkSignature;
    private string? _previousSignature;
    private bool _innerEof;
    private bool _done;
    private readonly List<S3Checksum> _trailingChecksums = [];

    /// <summary>Creates a decoder.</summary>
    /// <param name="inner">The raw request body.</param>
    /// <param name="mode">The payload mode (one of the streaming modes, except ECDSA).</param>
    /// <param name="signing">Signing context; required for the signed modes.</param>
    /// <param name="declaredTrailers">Header names declared in <c>x-amz-trailer</c> (lower case).</param>
    public AwsChunkedStream(Stream inner, S3PayloadMode mode, SigV4SigningContext? signing, IReadOnlyList<string> declaredTrailers)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(declaredTrailers);
        _inner = inner;
        switch (mode)
        {
            case S3PayloadMode.StreamingSigned:
                _signed = true;
                break;
            case S3PayloadMode.StreamingSignedTrailer:
                _signed = true;
                _expectTrailer = true;
                break;
            case S3PayloadMode.StreamingUnsignedTrailer:
                _expectTrailer = true;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not an aws-chunked payload mode.");
        }

        if (_signed)
        {
            _signing = signing ?? throw new S3Exception(S3Errors.InvalidRequest, "Signed aws-chunked payloads require a signed request.");
            _previousSignature = signing.SeedSignature;
            _chunkHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }

        _declaredTrailers = declaredTrailers;
        _chunkRemaining = -1;
    }

    /// <summary>Checksums received in the trailer; complete once the stream reported end-of-stream.</summary>
    public IReadOnlyList<S3Checksum> TrailingChecksums => _trailingChecksums;

    /// <summary>Synchronous reads are not supported (request bodies are read asynchronously, as Kestrel requires).</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Synchronous reads are not supported; use ReadAsync.");

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_done || destination.IsEmpty)
        {
            return 0;
        }

        _buffer ??= ArrayPool<byte>.Shared.Rent(_bufferSize);
        while (true)
        {
            if (_chunkRemaining > 0)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new S3Exception(S3Errors.IncompleteBody);
                }

                var n = (int)Math.Min(Math.Min(_chunkRemaining, _end - _start), destination.Length);
                var data = _buffer.AsSpan(_start, n);
                data.CopyTo(destination.Span);
                _chunkHash?.AppendData(data);
                _start += n;
                _chunkRemaining -= n;
                return n;
            }

            if (_chunkRemaining == 0)
            {
                // End of a data chunk: CRLF, then the chunk's signature must hold.
                await ExpectCrlfAsync(cancellationToken).ConfigureAwait(false);
                VerifyChunkSignature();
            }

            var header = await ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new S3Exception(S3Errors.IncompleteBody);
            var size = ParseChunkHeader(header);
            if (size > 0)
            {
                _chunkRemaining = size;
                continue;
            }

            // Final zero-length chunk: its signature covers the empty payload.
            VerifyChunkSignature();
            if (_expectTrailer)
            {
                await ReadTrailerAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Optional final CRLF after the last chunk.
                await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }

            _done = true;
            ReturnBuffer();
            return 0;
        }
    }

    private long ParseChunkHeader(string line)
    {
        var semi = line.IndexOf(';', StringComparison.Ordinal);
        var sizeText = (semi < 0 ? line : line[..semi]).Trim();
        if (sizeText.Length == 0 || sizeText.Length > 15
            || !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size))
        {
            throw new S3Exception(S3Errors.InvalidRequest, "The aws-chunked chunk header is malformed.");
        }

        _chunkSignature = null;
        if (semi >= 0)
        {
            foreach (var ext in line[(semi + 1)..].Split(';'))
            {
                var e = ext.Trim();
                if (e.StartsWith(_chunkSignaturePrefix, StringComparison.Ordinal))
                {
                    _chunkSignature = e[_chunkSignaturePrefix.Length..];
                }
            }
        }

        if (_signed && _chunkSignature is null)
        {
            throw new S3Exception(S3Errors.SignatureDoesNotMatch, "A chunk of a signed aws-chunked payload carries no chunk-signature.");
        }

        _chunkRemaining = size == 0 ? -1 : size;
        return size;
    }

    private void VerifyChunkSignature()
    {
        _chunkRemaining = -1;
        if (!_signed)
        {
            return;
        }

        var dataHash = Convert.ToHexStringLower(_chunkHash!.GetHashAndReset());
        var stringToSign = string.Join(
            '\n',
            "AWS4-HMAC-SHA256-PAYLOAD",
            _signing!.AmzDate,
            _signing.Scope,
            _previousSignature,
            S3ContentSha256.EmptySha256,
            dataHash);
        var expected = SigV4Signer.Signature(_signing.SigningKey.Span, stringToSign);
        if (!SigV4Signer.SignaturesEqual(expected, _chunkSignature!.ToLowerInvariant()))
        {
            throw new S3Exception(S3Errors.SignatureDoesNotMatch, "The chunk signature of an aws-chunked payload does not match.");
        }

        _previousSignature = expected;
    }

    private async Task ReadTrailerAsync(CancellationToken cancellationToken)
    {
        var canonical = new StringBuilder();
        string? trailerSignature = null;
        var total = 0;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null || line.Length == 0)
            {
                break;
            }

            total += line.Length;
            if (total > _maxTrailerBytes)
            {
                throw new S3Exception(S3Errors.InvalidRequest, "The aws-chunked trailer is too large.");
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new S3Exception(S3Errors.InvalidRequest, "The aws-chunked trailer is malformed.");
            }

            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == "x-amz-trailer-signature")
            {
                trailerSignature = value;
                continue;
            }

            canonical.Append(name).Append(':').Append(value).Append('\n');
            if (S3ChecksumAlgorithms.TryParseHeaderName(name, out var algorithm))
            {
                _trailingChecksums.Add(S3Checksum.TryParse(algorithm, value)
                    ?? throw new S3Exception(S3Errors.InvalidRequest, $"Value for {name} trailing header is invalid."));
            }
        }

        foreach (var declared in _declaredTrailers)
        {
            if (!_trailingChecksums.Any(c => string.Equals(c.HeaderName, declared, StringComparison.OrdinalIgnoreCase)))
            {
                throw new S3Exception(S3Errors.IncompleteBody, $"The trailer {declared} declared in x-amz-trailer was not sent.");
            }
        }

        if (_signed)
        {
            if (trailerSignature is null)
            {
                throw new S3Exception(S3Errors.SignatureDoesNotMatch, "The trailer of a signed aws-chunked payload carries no x-amz-trailer-signature.");
            }

            var stringToSign = string.Join(
                '\n',
                "AWS4-HMAC-SHA256-TRAILER",
                _signing!.AmzDate,
                _signing.Scope,
                _previousSignature,
                SigV4Signer.Sha256Hex(canonical.ToString()));
            var expected = SigV4Signer.Signature(_signing.SigningKey.Span, stringToSign);
            if (!SigV4Signer.SignaturesEqual(expected, trailerSignature.ToLowerInvariant()))
            {
                throw new S3Exception(S3Errors.SignatureDoesNotMatch, "The trailer signature of an aws-chunked payload does not match.");
            }
        }
    }

    private async Task ExpectCrlfAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line is null)
        {
            throw new S3Exception(S3Errors.IncompleteBody);
        }

        if (line.Length != 0)
        {
            throw new S3Exception(S3Errors.InvalidRequest, "The aws-chunked chunk data is longer than its declared size.");
        }
    }

    /// <summary>Reads up to LF (CR stripped); null at end of input with nothing read.</summary>
    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        StringBuilder? sb = null;
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return sb?.ToString().TrimEnd('\r');
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            var take = lf < 0 ? span.Length : lf;
            sb ??= new StringBuilder();
            if (sb.Length + take > _maxLineLength)
            {
                throw new S3Exception(S3Errors.InvalidRequest, "The aws-chunked framing line is too long.");
            }

            sb.Append(Encoding.ASCII.GetString(span[..take]));
            if (lf >= 0)
            {
                _start += lf + 1;
                var s = sb.ToString();
                return s.EndsWith('\r') ? s[..^1] : s;
            }

            _start = _end;
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_innerEof)
        {
            return false;
        }

        _start = 0;
        _end = await _inner.ReadAsync(_buffer.AsMemory(0, _bufferSize), cancellationToken).ConfigureAwait(false);
        if (_end == 0)
        {
            _innerEof = true;
            return false;
        }

        return true;
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReturnBuffer();
            _chunkHash?.Dispose();
        }

        base.Dispose(disposing);
    }
}
