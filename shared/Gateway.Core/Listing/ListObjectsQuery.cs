namespace Gateway.Core.Listing;

/// <summary>
/// One page request of a listing, already normalised from v1 or v2 parameters. The page starts after
/// <paramref name="StartAfterStored"/> (a stored path without its '/', from a continuation token) when given, else after
/// the key <paramref name="StartAfter"/> (marker or start-after); both exclusive.
/// </summary>
internal sealed record ListObjectsQuery(string Prefix, string? Delimiter, string? StartAfter, int MaxKeys, string? StartAfterStored = null)
{
    /// <summary>S3's page size cap (and default).</summary>
    public const int MaxPageSize = 1000;
}
