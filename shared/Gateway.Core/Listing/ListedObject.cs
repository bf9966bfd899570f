namespace Gateway.Core.Listing;

/// <summary>One object of a listing page.</summary>
internal sealed record ListedObject(string Key, long Size, string ETag, DateTimeOffset? LastModified);
