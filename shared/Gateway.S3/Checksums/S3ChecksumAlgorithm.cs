namespace Gateway.S3.Checksums;

/// <summary>The additional checksum algorithms S3 accepts in <c>x-amz-checksum-*</c> headers and trailers.</summary>
public enum S3ChecksumAlgorithm
{
    /// <summary>CRC-32 (ISO-HDLC), 4 bytes.</summary>
    Crc32,

    /// <summary>CRC-32C (Castagnoli), 4 bytes.</summary>
    Crc32C,

    /// <summary>CRC-64/NVME, 8 bytes.</summary>
    Crc64Nvme,

    /// <summary>SHA-1, 20 bytes.</summary>
    Sha1,

    /// <summary>SHA-256, 32 bytes.</summary>
    Sha256,
}
