namespace Gateway.S3.Checksums;

/// <summary>Wire names of <see cref="S3ChecksumType"/> values.</summary>
public static class S3ChecksumTypes
{
    /// <summary>Header carrying the type in responses (and in CreateMultipartUpload requests).</summary>
    public const string HeaderName = "x-amz-checksum-type";

    /// <summary><c>FULL_OBJECT</c> or <c>COMPOSITE</c>.</summary>
    public static string WireName(S3ChecksumType type) => type switch
    {
        S3ChecksumType.FullObject => "FULL_OBJECT",
        S3ChecksumType.Composite => "COMPOSITE",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses <c>FULL_OBJECT</c> or <c>COMPOSITE</c> (case-insensitive).</summary>
    public static bool TryParse(string? name, out S3ChecksumType type)
    {
        foreach (var t in (ReadOnlySpan<S3ChecksumType>)[S3ChecksumType.FullObject, S3ChecksumType.Composite])
        {
            if (string.Equals(WireName(t), name, StringComparison.OrdinalIgnoreCase))
            {
                type = t;
                return true;
            }
        }

        type = default;
        return false;
    }
}
