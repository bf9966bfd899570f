using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>One bucket in ListBuckets.</summary>
/// <param name="Name">Bucket name.</param>
/// <param name="CreationDate">Creation time.</param>
public sealed record S3BucketEntry(string Name, DateTimeOffset CreationDate)
{
    /// <summary>The bucket's region; S3 includes it when the request had at least one of ListBuckets' parameters.</summary>
    public string? BucketRegion { get; init; }
}

/// <summary>
/// ListBuckets response: Owner, Buckets{Bucket{Name, CreationDate, BucketRegion?}}, then, when paginating,
/// ContinuationToken (only when more buckets follow) and Prefix (only when the request sent one).
/// </summary>
public sealed class ListAllMyBucketsResult : IS3XmlDocument
{
    /// <summary>The owner.</summary>
    public required S3Owner Owner { get; init; }

    /// <summary>The buckets.</summary>
    public IReadOnlyList<S3BucketEntry> Buckets { get; init; } = [];

    /// <summary>Token for the next page; null when this page is the last.</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>The request's prefix, echoed; null when none was sent.</summary>
    public string? Prefix { get; init; }

    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteStartElementAsync(null, "ListAllMyBucketsResult", S3Xml.Namespace).ConfigureAwait(false);
        await Owner.WriteAsync(writer, "Owner").ConfigureAwait(false);
        await writer.WriteStartElementAsync(null, "Buckets", null).ConfigureAwait(false);
        foreach (var b in Buckets)
        {
            await writer.WriteStartElementAsync(null, "Bucket", null).ConfigureAwait(false);
            await writer.ElementAsync("Name", b.Name).ConfigureAwait(false);
            await writer.ElementAsync("CreationDate", b.CreationDate).ConfigureAwait(false);
            await writer.OptionalElementAsync("BucketRegion", b.BucketRegion).ConfigureAwait(false);
            await writer.WriteEndElementAsync().ConfigureAwait(false);
        }

        await writer.WriteEndElementAsync().ConfigureAwait(false);
        await writer.OptionalElementAsync("ContinuationToken", ContinuationToken).ConfigureAwait(false);
        await writer.OptionalElementAsync("Prefix", Prefix).ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
