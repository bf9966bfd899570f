namespace Gateway.Core.Results;

/// <summary>One bucket of a ListBuckets answer.</summary>
internal sealed record BucketEntry(string Name, DateTimeOffset CreationDate);
