namespace Gateway.S3.Checksums;

/// <summary>Names, header names and digest sizes of <see cref="S3ChecksumAlgorithm"/> values.</summary>
public static class S3ChecksumAlgorithms
{
    /// <summary>All algorithms, in the order S3 documents them.</summary>
    public static IReadOnlyList<S3ChecksumAlgorithm> All { get; } =
        [S3ChecksumAlgorithm.Crc32, S3ChecksumAlgorithm.Crc32C, S3ChecksumAlgorithm.Crc64Nvme, S3ChecksumAlgorithm.Sha1, S3ChecksumAlgorithm.Sha256];

    /// <summary>Wire name as used in <c>x-amz-sdk-checksum-algorithm</c> (CRC32, CRC32C, CRC64NVME, SHA1, SHA256).</summary>
    public static string WireName(S3ChecksumAlgorithm algorithm) => algorithm switch
    {
        S3ChecksumAlgorithm.Crc32 => "CRC32",
        S3ChecksumAlgorithm.Crc32C => "CRC32C",
        S3ChecksumAlgorithm.Crc64Nvme => "CRC64NVME",
        S3ChecksumAlgorithm.Sha1 => "SHA1",
        S3ChecksumAlgorithm.Sha256 => "SHA256",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Header (and trailer) name, e.g. <c>x-amz-checksum-crc32</c>.</summary>
    public static string HeaderName(S3ChecksumAlgorithm algorithm) => "x-amz-checksum-" + WireName(algorithm).ToLowerInvariant();

    /// <summary>The element name in XML documents, e.g. <c>ChecksumCRC32</c>.</summary>
    public static string XmlElementName(S3ChecksumAlgorithm algorithm) => "Checksum" + WireName(algorithm);

    /// <summary>Digest length in bytes.</summary>
    public static int DigestLength(S3ChecksumAlgorithm algorithm) => algorithm switch
    {
        S3ChecksumAlgorithm.Crc32 or S3ChecksumAlgorithm.Crc32C => 4,
        S3ChecksumAlgorithm.Crc64Nvme => 8,
        S3ChecksumAlgorithm.Sha1 => 20,
        S3ChecksumAlgorithm.Sha256 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Parses a wire name (case-insensitive).</summary>
    public static bool TryParse(string? name, out S3ChecksumAlgorithm algorithm)
    {
        foreach (var a in All)
        {
            if (string.Equals(WireName(a), name, StringComparison.OrdinalIgnoreCase))
            {
                algorithm = a;
                return true;
            }
        }

        algorithm = default;
        return false;
    }

    /// <summary>Parses a header name such as <c>x-amz-checksum-crc32c</c> (case-insensitive).</summary>
    public static bool TryParseHeaderName(string? headerName, out S3ChecksumAlgorithm algorithm)
    {
        const string prefix = "x-amz-checksum-";
        if (headerName is not null && headerName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return TryParse(headerName[prefix.Length..], out algorithm);
        }

        algorithm = default;
        return false;
    }
}
