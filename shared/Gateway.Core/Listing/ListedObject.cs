namespace Gateway.Core.Listing;

/// <summary>One object of a listing page.</summary>
/// <param name="Key">The key.</param>
/// <param name="Size">Bytes.</param>
/// <param name="ETag">The content-derived ETag (replaced by the stored one when the object has a record).</param>
/// <param name="LastModified">When its commit finished.</param>
/// <param name="Hash">pachd's hash of the content, lower-case hex (what a stored record must match).</param>
/// <param name="Run">Objects of one run are consecutive keys: no common prefix of the page falls between them.</param>
internal sealed record ListedObject(string Key, long Size, string ETag, DateTimeOffset? LastModified, string Hash, int Run);
