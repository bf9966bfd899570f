using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>One bucket in ListBuckets.</summary>
/// <param name="Name">Bucket name.</param>
/// <param name="CreationDate">Creation time.</param>
public sealed record S3BucketEntry(string Name, DateTimeOffset CreationDate);

/// <summary>ListBuckets response: Owner, Buckets{Bucket{Name, CreationDate}}.</summary>
public sealed class ListAllMyBucketsResult : IS3XmlDocument
{
    /// <summary>The owner.</summary>
    public required S3Owner Owner { get; init; }

    /// <summary>The buckets.</summary>
    public IReadOnlyList<S3BucketEntry> Buckets { get; init; } = [];

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
            await writer.WriteEndElementAsync().ConfigureAwait(false);
        }

        await writer.WriteEndElementAsync().ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
