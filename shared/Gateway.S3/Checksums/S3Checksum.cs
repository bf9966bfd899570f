namespace Gateway.S3.Checksums;

/// <summary>A checksum value: algorithm plus base64 of the big-endian digest, as S3 sends it.</summary>
/// <param name="Algorithm">The algorithm.</param>
/// <param name="Base64">The base64 digest.</param>
public sealed record S3Checksum(S3ChecksumAlgorithm Algorithm, string Base64)
{
    /// <summary>The response/trailer header name carrying this checksum.</summary>
    public string HeaderName => S3ChecksumAlgorithms.HeaderName(Algorithm);

    /// <summary>
    /// Parses a client-supplied value; null when it is not base64 of the algorithm's digest length.
    /// </summary>
    public static S3Checksum? TryParse(S3ChecksumAlgorithm algorithm, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[64];
        if (!Convert.TryFromBase64String(value.Trim(), buffer, out var written) || written != S3ChecksumAlgorithms.DigestLength(algorithm))
        {
            return null;
        }

        return new S3Checksum(algorithm, Convert.ToBase64String(buffer[..written]));
    }
}
