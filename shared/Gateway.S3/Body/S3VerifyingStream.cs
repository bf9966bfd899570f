using System.Security.Cryptography;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Body;

/// <summary>
/// Read-only stream over a request body that hashes what passes through and, when the inner
/// stream ends, checks length, SHA-256, MD5 and additional checksums. A mismatch throws
/// <see cref="S3Exception"/> from the read that would have returned 0, so a consumer that commits
/// only after seeing end-of-stream never commits bad data. No data is buffered here.
/// </summary>
public sealed class S3VerifyingStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly S3BodyExpectations _expect;
    private readonly bool _leaveOpen;
    private readonly IncrementalHash? _sha256;
    private readonly IncrementalHash? _md5;
    private readonly S3ChecksumHasher[] _checksums;
    private readonly Func<IReadOnlyList<S3Checksum>>? _trailingChecksums;
    private long _bytesRead;
    private bool _completed;
    private S3Checksum[] _computed = [];
    private byte[]? _computedMd5;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The body (or a decoded aws-chunked body).</param>
    /// <param name="expectations">What to verify.</param>
    /// <param name="trailingChecksums">Called at end of stream for checksums that arrived in a trailer (aws-chunked), if any.</param>
    /// <param name="leaveOpen">Whether disposing leaves <paramref name="inner"/> open.</param>
    public S3VerifyingStream(Stream inner, S3BodyExpectations expectations, Func<IReadOnlyList<S3Checksum>>? trailingChecksums = null, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(expectations);
        _inner = inner;
        _expect = expectations;
        _leaveOpen = leaveOpen;
        _trailingChecksums = trailingChecksums;
        if (expectations.Sha256 is not null)
        {
            _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }

        if (expectations.Md5 is not null || expectations.ComputeMd5)
        {
            _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        }

        var algorithms = new List<S3ChecksumAlgorithm>(expectations.ComputeAlgorithms);
        if (expectations.Checksum is not null && !algorithms.Contains(expectations.Checksum.Algorithm))
        {
            algorithms.Add(expectations.Checksum.Algorithm);
        }

        _checksums = [.. algorithms.Select(a => new S3ChecksumHasher(a))];
    }

    /// <summary>Bytes delivered so far.</summary>
    public long BytesRead => _bytesRead;

    /// <summary>True once end of stream was reached and every check passed.</summary>
    public bool IsCompleted => _completed;

    /// <summary>Checksums computed over the whole body (for echoing in the response); empty until <see cref="IsCompleted"/>.</summary>
    public IReadOnlyList<S3Checksum> Checksums => _computed;

    /// <summary>The body's MD5 when it was computed; null until <see cref="IsCompleted"/>.</summary>
    public ReadOnlyMemory<byte>? Md5 => _computedMd5;

    /// <inheritdoc />
    public override long Position
    {
        get => _bytesRead;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (_completed || buffer.IsEmpty)
        {
            return 0;
        }

        int n;
        try
        {
            n = _inner.Read(buffer);
        }
        catch (BadHttpRequestException ex)
        {
            throw MapBadRequest(ex);
        }

        return Account(buffer[..n]);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_completed || buffer.IsEmpty)
        {
            return 0;
        }

        int n;
        try
        {
            n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            throw MapBadRequest(ex);
        }

        return Account(buffer.Span[..n]);
    }

    /// <summary>Reads and discards the rest of the body, running every check (e.g. before answering an XML request).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int Account(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            Complete();
            return 0;
        }

        _bytesRead += data.Length;
        if (_expect.ContentLength is long max && _bytesRead > max)
        {
            throw new S3Exception(S3Errors.InvalidRequest, "The request body is longer than its declared length.");
        }

        _sha256?.AppendData(data);
        _md5?.AppendData(data);
        foreach (var c in _checksums)
        {
            c.Append(data);
        }

        return data.Length;
    }

    private void Complete()
    {
        if (_expect.ContentLength is long expected && _bytesRead < expected)
        {
            throw new S3Exception(S3Errors.IncompleteBody);
        }

        if (_sha256 is not null)
        {
            var actual = _sha256.GetHashAndReset();
            if (!actual.AsSpan().SequenceEqual(_expect.Sha256!.Value.Span))
            {
                throw new S3Exception(S3Errors.XAmzContentSha256Mismatch)
                    .WithDetail("ClientComputedContentSHA256", Convert.ToHexStringLower(_expect.Sha256.Value.Span))
                    .WithDetail("S3ComputedContentSHA256", Convert.ToHexStringLower(actual));
            }
        }

        if (_md5 is not null)
        {
            _computedMd5 = _md5.GetHashAndReset();
            if (_expect.Md5 is ReadOnlyMemory<byte> md5 && !md5.Span.SequenceEqual(_computedMd5))
            {
                throw new S3Exception(S3Errors.BadDigest);
            }
        }

        var computed = _checksums.Select(c => c.GetCurrent()).ToArray();
        var expectedChecksums = new List<S3Checksum>(2);
        if (_expect.Checksum is not null)
        {
            expectedChecksums.Add(_expect.Checksum);
        }

        if (_trailingChecksums is not null)
        {
            expectedChecksums.AddRange(_trailingChecksums());
        }

        foreach (var e in expectedChecksums)
        {
            var actual = computed.FirstOrDefault(c => c.Algorithm == e.Algorithm)
                ?? throw new S3Exception(S3Errors.InvalidRequest, $"The checksum {e.HeaderName} was not declared before the body.");
            if (!string.Equals(actual.Base64, e.Base64, StringComparison.Ordinal))
            {
                throw new S3Exception(S3Errors.BadDigest, $"The {S3ChecksumAlgorithms.WireName(e.Algorithm)} you specified did not match the calculated checksum.");
            }
        }

        _computed = computed;
        _completed = true;
    }

    private static S3Exception MapBadRequest(BadHttpRequestException ex) => ex.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => new S3Exception(S3Errors.EntityTooLarge, innerException: ex),
        StatusCodes.Status408RequestTimeout => new S3Exception(S3Errors.RequestTimeout, innerException: ex),
        _ => new S3Exception(S3Errors.IncompleteBody, innerException: ex),
    };

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256?.Dispose();
            _md5?.Dispose();
            foreach (var c in _checksums)
            {
                c.Dispose();
            }

            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
