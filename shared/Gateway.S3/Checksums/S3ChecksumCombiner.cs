using System.Buffers.Binary;

namespace Gateway.S3.Checksums;

/// <summary>
/// Whole-object checksums of multipart uploads, built from the parts' checksums without reading
/// the data again: COMPOSITE (<c>hash(part digests)-N</c>, any algorithm) and FULL_OBJECT (CRC
/// combination, CRC32/CRC32C/CRC64NVME only).
/// </summary>
public static class S3ChecksumCombiner
{
    /// <summary>
    /// The COMPOSITE checksum: the algorithm applied to the concatenated binary part digests,
    /// followed by <c>-N</c> (N = number of parts), as S3 reports for multipart objects.
    /// </summary>
    public static string Composite(S3ChecksumAlgorithm algorithm, IReadOnlyList<S3Checksum> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var hasher = new S3ChecksumHasher(algorithm);
        Span<byte> digest = stackalloc byte[32];
        foreach (var part in parts)
        {
            if (part.Algorithm != algorithm)
            {
                throw new ArgumentException("All parts must use the same checksum algorithm.", nameof(parts));
            }

            if (!Convert.TryFromBase64String(part.Base64, digest, out var written))
            {
                throw new ArgumentException("A part checksum is not valid base64.", nameof(parts));
            }

            hasher.Append(digest[..written]);
        }

        return hasher.GetCurrent().Base64 + "-" + parts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True for algorithms that support FULL_OBJECT combination (the CRCs).</summary>
    public static bool SupportsFullObject(S3ChecksumAlgorithm algorithm) =>
        algorithm is S3ChecksumAlgorithm.Crc32 or S3ChecksumAlgorithm.Crc32C or S3ChecksumAlgorithm.Crc64Nvme;

    /// <summary>
    /// The FULL_OBJECT checksum of consecutive parts: CRC(part1 ‖ part2 ‖ …) from each part's CRC
    /// and length.
    /// </summary>
    public static S3Checksum FullObject(S3ChecksumAlgorithm algorithm, IReadOnlyList<(S3Checksum Checksum, long Length)> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var (poly, width) = Parameters(algorithm);
        ulong crc = 0;
        var first = true;
        Span<byte> digest = stackalloc byte[8];
        foreach (var (checksum, length) in parts)
        {
            if (checksum.Algorithm != algorithm)
            {
                throw new ArgumentException("All parts must use the same checksum algorithm.", nameof(parts));
            }

            if (!Convert.TryFromBase64String(checksum.Base64, digest, out var written) || written != width / 8)
            {
                throw new ArgumentException("A part checksum has the wrong length.", nameof(parts));
            }

            var partCrc = width == 64 ? BinaryPrimitives.ReadUInt64BigEndian(digest) : BinaryPrimitives.ReadUInt32BigEndian(digest);
            crc = first ? partCrc : Combine(crc, partCrc, length, poly, width);
            first = false;
        }

        if (width == 64)
        {
            BinaryPrimitives.WriteUInt64BigEndian(digest, crc);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest, (uint)crc);
        }

        return new S3Checksum(algorithm, Convert.ToBase64String(digest[..(width / 8)]));
    }

    /// <summary>
    /// CRC of A‖B from CRC(A), CRC(B) and |B| for a reflected CRC whose init and xor-out are all
    /// ones (true of all three S3 CRCs): CRC(A)·x^(8|B|) mod P ⊕ CRC(B), the zlib construction.
    /// </summary>
    public static ulong Combine(ulong crcA, ulong crcB, long lengthB, S3ChecksumAlgorithm algorithm)
    {
        var (poly, width) = Parameters(algorithm);
        return Combine(crcA, crcB, lengthB, poly, width);
    }

    private static ulong Combine(ulong crcA, ulong crcB, long lengthB, ulong poly, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lengthB);
        return MultiplyModP(XPow8N(lengthB, poly, width), crcA, poly, width) ^ crcB;
    }

    private static (ulong Poly, int Width) Parameters(S3ChecksumAlgorithm algorithm) => algorithm switch
    {
        S3ChecksumAlgorithm.Crc32 => (0xEDB88320UL, 32),
        S3ChecksumAlgorithm.Crc32C => (0x82F63B78UL, 32),
        S3ChecksumAlgorithm.Crc64Nvme => (0x9A6C9329AC4BC9B5UL, 64),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Only CRCs combine into full-object checksums."),
    };

    /// <summary>a·b mod P in the reflected representation (the top bit is x^0).</summary>
    private static ulong MultiplyModP(ulong a, ulong b, ulong poly, int width)
    {
        var m = 1UL << (width - 1);
        ulong p = 0;
        while (m != 0)
        {
            if ((a & m) != 0)
            {
                p ^= b;
            }

            m >>= 1;
            b = (b & 1) != 0 ? (b >> 1) ^ poly : b >> 1;
        }

        return p;
    }

    /// <summary>x^(8n) mod P by repeated squaring.</summary>
    private static ulong XPow8N(long n, ulong poly, int width)
    {
        var result = 1UL << (width - 1);   // x^0
        var square = 1UL << (width - 2);   // x^1
        for (var i = 0; i < 3; i++)
        {
            square = MultiplyModP(square, square, poly, width); // x^2, x^4, x^8
        }

        while (n > 0)
        {
            if ((n & 1) != 0)
            {
                result = MultiplyModP(square, result, poly, width);
            }

            square = MultiplyModP(square, square, poly, width);
            n >>= 1;
        }

        return result;
    }
}
