using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace Gateway.S3.Checksums;

/// <summary>
/// Incremental computation of one <see cref="S3ChecksumAlgorithm"/> producing S3's base64 form. The CRCs come
/// from System.IO.Hashing (CRC-32C and CRC-64/NVME through its parameter sets, vectorized: 1.5× and 8× the
/// throughput of the hand-written code they replaced, see tests/Benchmarks/ChecksumBench); the SHAs from
/// <see cref="IncrementalHash"/>.
/// </summary>
public sealed class S3ChecksumHasher : IDisposable
{
    private readonly NonCryptographicHashAlgorithm? _crc;
    private readonly IncrementalHash? _hash;

    /// <summary>Creates a hasher for <paramref name="algorithm"/>.</summary>
    public S3ChecksumHasher(S3ChecksumAlgorithm algorithm)
    {
        Algorithm = algorithm;
        switch (algorithm)
        {
            case S3ChecksumAlgorithm.Crc32:
                _crc = new Crc32();
                break;
            case S3ChecksumAlgorithm.Crc32C:
                _crc = new Crc32(Crc32ParameterSet.Crc32C);
                break;
            case S3ChecksumAlgorithm.Crc64Nvme:
                _crc = new Crc64(Crc64ParameterSet.Nvme);
                break;
            case S3ChecksumAlgorithm.Sha1:
                _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
                break;
            case S3ChecksumAlgorithm.Sha256:
                _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }
    }

    /// <summary>The algorithm.</summary>
    public S3ChecksumAlgorithm Algorithm { get; }

    /// <summary>Adds data.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_crc is not null)
        {
            _crc.Append(data);
        }
        else
        {
            _hash!.AppendData(data);
        }
    }

    /// <summary>The checksum of everything appended so far (does not reset).</summary>
    public S3Checksum GetCurrent()
    {
        Span<byte> digest = stackalloc byte[32];
        var length = S3ChecksumAlgorithms.DigestLength(Algorithm);
        // System.IO.Hashing writes reflected CRCs (all three of S3's) little-endian; S3 wants the big-endian integer.
        switch (_crc)
        {
            case Crc32 crc32:
                BinaryPrimitives.WriteUInt32BigEndian(digest, crc32.GetCurrentHashAsUInt32());
                break;
            case Crc64 crc64:
                BinaryPrimitives.WriteUInt64BigEndian(digest, crc64.GetCurrentHashAsUInt64());
                break;
            default:
                _hash!.GetCurrentHash(digest);
                break;
        }

        return new S3Checksum(Algorithm, Convert.ToBase64String(digest[..length]));
    }

    /// <summary>One-shot checksum of <paramref name="data"/>.</summary>
    public static S3Checksum Compute(S3ChecksumAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        using var h = new S3ChecksumHasher(algorithm);
        h.Append(data);
        return h.GetCurrent();
    }

    /// <inheritdoc />
    public void Dispose() => _hash?.Dispose();
}
