using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>One entry of ListObjectVersions: an object version or a delete marker.</summary>
public sealed record S3VersionEntry
{
    /// <summary>Key.</summary>
    public required string Key { get; init; }

    /// <summary>Version id.</summary>
    public required string VersionId { get; init; }

    /// <summary>Whether this is the current version.</summary>
    public required bool IsLatest { get; init; }

    /// <summary>Time of the version.</summary>
    public required DateTimeOffset LastModified { get; init; }

    /// <summary>True for a delete marker (no ETag/Size/StorageClass written).</summary>
    public bool IsDeleteMarker { get; init; }

    /// <summary>ETag (quoted on output); versions only.</summary>
    public string ETag { get; init; } = string.Empty;

    /// <summary>Size; versions only.</summary>
    public long Size { get; init; }

    /// <summary>Storage class; versions only.</summary>
    public string StorageClass { get; init; } = "STANDARD";

    /// <summary>Owner, if any.</summary>
    public S3Owner? Owner { get; init; }
}

/// <summary>
/// ListObjectVersions response: Name, Prefix, KeyMarker, VersionIdMarker, NextKeyMarker?,
/// NextVersionIdMarker?, MaxKeys, Delimiter?, IsTruncated, EncodingType?, (Version|DeleteMarker)*
/// in listing order, CommonPrefixes*.
/// </summary>
public sealed class ListVersionsResult : IS3XmlDocument
{
    /// <summary>Bucket.</summary>
    public required string Name { get; init; }

    /// <summary>Prefix of the request.</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>key-marker of the request.</summary>
    public string KeyMarker { get; init; } = string.Empty;

    /// <summary>version-id-marker of the request.</summary>
    public string VersionIdMarker { get; init; } = string.Empty;

    /// <summary>Next key marker (when truncated).</summary>
    public string? NextKeyMarker { get; init; }

    /// <summary>Next version id marker (when truncated).</summary>
    public string? NextVersionIdMarker { get; init; }

    /// <summary>Effective max-keys.</summary>
    public int MaxKeys { get; init; } = 1000;

    /// <summary>Delimiter; omitted when empty.</summary>
    public string? Delimiter { get; init; }

    /// <summary>Whether more entries follow.</summary>
    public bool IsTruncated { get; init; }

    /// <summary><c>url</c> when keys are URL-encoded.</summary>
    public string? EncodingType { get; init; }

    /// <summary>Versions and delete markers, in order.</summary>
    public IReadOnlyList<S3VersionEntry> Entries { get; init; } = [];

    /// <summary>Common prefixes.</summary>
    public IReadOnlyList<string> CommonPrefixes { get; init; } = [];

    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var enc = EncodingType;
        await writer.WriteStartElementAsync(null, "ListVersionsResult", S3Xml.Namespace).ConfigureAwait(false);
        await writer.ElementAsync("Name", Name).ConfigureAwait(false);
        await writer.ElementAsync("Prefix", S3XmlKeyEncoding.Apply(Prefix, enc)!).ConfigureAwait(false);
        await writer.ElementAsync("KeyMarker", S3XmlKeyEncoding.Apply(KeyMarker, enc)!).ConfigureAwait(false);
        await writer.ElementAsync("VersionIdMarker", VersionIdMarker).ConfigureAwait(false);
        await writer.OptionalElementAsync("NextKeyMarker", S3XmlKeyEncoding.Apply(NextKeyMarker, enc)).ConfigureAwait(false);
        await writer.OptionalElementAsync("NextVersionIdMarker", NextVersionIdMarker).ConfigureAwait(false);
        await writer.ElementAsync("MaxKeys", MaxKeys).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(Delimiter))
        {
            await writer.ElementAsync("Delimiter", S3XmlKeyEncoding.Apply(Delimiter, enc)!).ConfigureAwait(false);
        }

        await writer.ElementAsync("IsTruncated", IsTruncated).ConfigureAwait(false);
        await writer.OptionalElementAsync("EncodingType", enc).ConfigureAwait(false);
        foreach (var v in Entries)
        {
            await writer.WriteStartElementAsync(null, v.IsDeleteMarker ? "DeleteMarker" : "Version", null).ConfigureAwait(false);
            await writer.ElementAsync("Key", S3XmlKeyEncoding.Apply(v.Key, enc)!).ConfigureAwait(false);
            await writer.ElementAsync("VersionId", v.VersionId).ConfigureAwait(false);
            await writer.ElementAsync("IsLatest", v.IsLatest).ConfigureAwait(false);
            await writer.ElementAsync("LastModified", v.LastModified).ConfigureAwait(false);
            if (!v.IsDeleteMarker)
            {
                await writer.ElementAsync("ETag", Http.ETags.Quote(v.ETag)).ConfigureAwait(false);
                await writer.ElementAsync("Size", v.Size).ConfigureAwait(false);
            }

            if (v.Owner is not null)
            {
                await v.Owner.WriteAsync(writer, "Owner").ConfigureAwait(false);
            }

            if (!v.IsDeleteMarker)
            {
                await writer.ElementAsync("StorageClass", v.StorageClass).ConfigureAwait(false);
            }

            await writer.WriteEndElementAsync().ConfigureAwait(false);
        }

        await S3ObjectEntry.WriteCommonPrefixesAsync(writer, CommonPrefixes, enc).ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
