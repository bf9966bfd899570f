namespace Gateway.Core.Listing;

/// <summary>What a ListBucketResult document says, for v1 and v2.</summary>
internal sealed record ListingResult(
    string BucketName,
    string Prefix,
    string? Delimiter,
    int MaxKeys,
    bool UrlEncode,
    ListObjectsPage Page,
    string? Marker,
    string? NextMarker,
    string? ContinuationToken,
    string? NextContinuationToken,
    string? StartAfter,
    bool FetchOwner);
