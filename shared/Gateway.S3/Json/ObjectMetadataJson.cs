namespace Gateway.S3.Json;

/// <summary>Wire form of <see cref="Http.S3ObjectMetadata"/>; null members are left out.</summary>
internal sealed record ObjectMetadataJson
{
    public string? ContentType { get; init; }

    public string? ContentEncoding { get; init; }

    public string? ContentDisposition { get; init; }

    public string? ContentLanguage { get; init; }

    public string? CacheControl { get; init; }

    public string? Expires { get; init; }

    /// <summary>User metadata by lower-case name; null (left out) when there is none.</summary>
    public SortedDictionary<string, string>? UserMetadata { get; init; }
}
