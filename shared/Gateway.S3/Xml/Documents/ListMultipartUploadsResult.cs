using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>One in-progress upload.</summary>
/// <param name="Key">Key.</param>
/// <param name="UploadId">Upload id.</param>
/// <param name="Initiator">Initiator.</param>
/// <param name="Owner">Owner.</param>
/// <param name="Initiated">Start time.</param>
public sealed record S3UploadEntry(string Key, string UploadId, S3Owner Initiator, S3Owner Owner, DateTimeOffset Initiated)
{
    /// <summary>Storage class.</summary>
    public string StorageClass { get; init; } = "STANDARD";
}

/// <summary>
/// ListMultipartUploads response: Bucket, KeyMarker, UploadIdMarker, NextKeyMarker,
/// NextUploadIdMarker, Delimiter?, Prefix, MaxUploads, IsTruncated, EncodingType?,
/// Upload{Key, UploadId, Initiator, Owner, StorageClass, Initiated}*, CommonPrefixes*.
/// </summary>
public sealed class ListMultipartUploadsResult : IS3XmlDocument
{
    /// <summary>Bucket.</summary>
    public required string Bucket { get; init; }

    /// <summary>key-marker of the request.</summary>
    public string KeyMarker { get; init; } = string.Empty;

    /// <summary>upload-id-marker of the request.</summary>
    public string UploadIdMarker { get; init; } = string.Empty;

    /// <summary>Next key marker (empty when not truncated).</summary>
    public string NextKeyMarker { get; init; } = string.Empty;

    /// <summary>Next upload id marker (empty when not truncated).</summary>
    public string NextUploadIdMarker { get; init; } = string.Empty;

    /// <summary>Delimiter; omitted when empty.</summary>
    public string? Delimiter { get; init; }

    /// <summary>Prefix of the request.</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>Effective max-uploads.</summary>
    public int MaxUploads { get; init; } = 1000;

    /// <summary>Whether more uploads follow.</summary>
    public bool IsTruncated { get; init; }

    /// <summary><c>url</c> when keys are URL-encoded.</summary>
    public string? EncodingType { get; init; }

    /// <summary>The uploads, ordered by key then initiation.</summary>
    public IReadOnlyList<S3UploadEntry> Uploads { get; init; } = [];

    /// <summary>Common prefixes.</summary>
    public IReadOnlyList<string> CommonPrefixes { get; init; } = [];

    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var enc = EncodingType;
        await writer.WriteStartElementAsync(null, "ListMultipartUploadsResult", S3Xml.Namespace).ConfigureAwait(false);
        await writer.ElementAsync("Bucket", Bucket).ConfigureAwait(false);
        await writer.ElementAsync("KeyMarker", S3XmlKeyEncoding.Apply(KeyMarker, enc)!).ConfigureAwait(false);
        await writer.ElementAsync("UploadIdMarker", UploadIdMarker).ConfigureAwait(false);
        await writer.ElementAsync("NextKeyMarker", S3XmlKeyEncoding.Apply(NextKeyMarker, enc)!).ConfigureAwait(false);
        await writer.ElementAsync("NextUploadIdMarker", NextUploadIdMarker).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(Delimiter))
        {
            await writer.ElementAsync("Delimiter", S3XmlKeyEncoding.Apply(Delimiter, enc)!).ConfigureAwait(false);
        }

        await writer.ElementAsync("Prefix", S3XmlKeyEncoding.Apply(Prefix, enc)!).ConfigureAwait(false);
        await writer.ElementAsync("MaxUploads", MaxUploads).ConfigureAwait(false);
        await writer.ElementAsync("IsTruncated", IsTruncated).ConfigureAwait(false);
        await writer.OptionalElementAsync("EncodingType", enc).ConfigureAwait(false);
        foreach (var u in Uploads)
        {
            await writer.WriteStartElementAsync(null, "Upload", null).ConfigureAwait(false);
            await writer.ElementAsync("Key", S3XmlKeyEncoding.Apply(u.Key, enc)!).ConfigureAwait(false);
            await writer.ElementAsync("UploadId", u.UploadId).ConfigureAwait(false);
            await u.Initiator.WriteAsync(writer, "Initiator").ConfigureAwait(false);
            await u.Owner.WriteAsync(writer, "Owner").ConfigureAwait(false);
            await writer.ElementAsync("StorageClass", u.StorageClass).ConfigureAwait(false);
            await writer.ElementAsync("Initiated", u.Initiated).ConfigureAwait(false);
            await writer.WriteEndElementAsync().ConfigureAwait(false);
        }

        await S3ObjectEntry.WriteCommonPrefixesAsync(writer, CommonPrefixes, enc).ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
