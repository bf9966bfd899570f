using System.Xml;
using Gateway.S3.Checksums;

namespace Gateway.S3.Xml.Documents;

/// <summary>One uploaded part.</summary>
/// <param name="PartNumber">Part number (1-10000).</param>
/// <param name="LastModified">Upload time.</param>
/// <param name="ETag">ETag (quoted on output).</param>
/// <param name="Size">Size in bytes.</param>
public sealed record S3PartEntry(int PartNumber, DateTimeOffset LastModified, string ETag, long Size)
{
    /// <summary>Checksums of the part, if known.</summary>
    public IReadOnlyList<S3Checksum>? Checksums { get; init; }
}

/// <summary>
/// ListParts response: Bucket, Key, UploadId, Initiator, Owner, StorageClass, PartNumberMarker,
/// NextPartNumberMarker, MaxParts, IsTruncated, Part{PartNumber, LastModified, ETag, Size, Checksum*}*.
/// </summary>
public sealed class ListPartsResult : IS3XmlDocument
{
    /// <summary>Bucket.</summary>
    public required string Bucket { get; init; }

    /// <summary>Key.</summary>
    public required string Key { get; init; }

    /// <summary>Upload id.</summary>
    public required string UploadId { get; init; }

    /// <summary>Initiator.</summary>
    public required S3Owner Initiator { get; init; }

    /// <summary>Owner.</summary>
    public required S3Owner Owner { get; init; }

    /// <summary>Storage class.</summary>
    public string StorageClass { get; init; } = "STANDARD";

    /// <summary>part-number-marker of the request (0 when none).</summary>
    public int PartNumberMarker { get; init; }

    /// <summary>Last part number of this page (0 when empty).</summary>
    public int NextPartNumberMarker { get; init; }

    /// <summary>Effective max-parts.</summary>
    public int MaxParts { get; init; } = 1000;

    /// <summary>Whether more parts follow.</summary>
    public bool IsTruncated { get; init; }

    /// <summary>The parts, ascending by number.</summary>
    public IReadOnlyList<S3PartEntry> Parts { get; init; } = [];

    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteStartElementAsync(null, "ListPartsResult", S3Xml.Namespace).ConfigureAwait(false);
        await writer.ElementAsync("Bucket", Bucket).ConfigureAwait(false);
        await writer.ElementAsync("Key", Key).ConfigureAwait(false);
        await writer.ElementAsync("UploadId", UploadId).ConfigureAwait(false);
        await Initiator.WriteAsync(writer, "Initiator").ConfigureAwait(false);
        await Owner.WriteAsync(writer, "Owner").ConfigureAwait(false);
        await writer.ElementAsync("StorageClass", StorageClass).ConfigureAwait(false);
        await writer.ElementAsync("PartNumberMarker", PartNumberMarker).ConfigureAwait(false);
        await writer.ElementAsync("NextPartNumberMarker", NextPartNumberMarker).ConfigureAwait(false);
        await writer.ElementAsync("MaxParts", MaxParts).ConfigureAwait(false);
        await writer.ElementAsync("IsTruncated", IsTruncated).ConfigureAwait(false);
        foreach (var p in Parts)
        {
            await writer.WriteStartElementAsync(null, "Part", null).ConfigureAwait(false);
            await writer.ElementAsync("PartNumber", p.PartNumber).ConfigureAwait(false);
            await writer.ElementAsync("LastModified", p.LastModified).ConfigureAwait(false);
            await writer.ElementAsync("ETag", Http.ETags.Quote(p.ETag)).ConfigureAwait(false);
            await writer.ElementAsync("Size", p.Size).ConfigureAwait(false);
            await S3ChecksumElements.WriteAsync(writer, p.Checksums).ConfigureAwait(false);
            await writer.WriteEndElementAsync().ConfigureAwait(false);
        }

        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
