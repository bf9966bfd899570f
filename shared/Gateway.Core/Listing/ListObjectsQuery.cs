namespace Gateway.Core.Listing;

/// <summary>
/// One page request of a listing, already normalised from v1 or v2 parameters.
/// <paramref name="StartAfter"/> is exclusive: the marker, the decoded continuation token or start-after.
/// </summary>
internal sealed record ListObjectsQuery(string Prefix, string? Delimiter, string? StartAfter, int MaxKeys)
{
    /// <summary>S3's page size cap (and default).</summary>
    public const int MaxPageSize = 1000;
}
