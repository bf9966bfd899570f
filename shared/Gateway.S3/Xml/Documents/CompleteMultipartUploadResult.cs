using System.Xml;
using Gateway.S3.Checksums;

namespace Gateway.S3.Xml.Documents;

/// <summary>CompleteMultipartUpload response: Location, Bucket, Key, ETag, Checksum*.</summary>
public sealed class CompleteMultipartUploadResult : IS3XmlDocument
{
    /// <summary>URL of the object.</summary>
    public required string Location { get; init; }

    /// <summary>Bucket.</summary>
    public required string Bucket { get; init; }

    /// <summary>Key.</summary>
    public required string Key { get; init; }

    /// <summary>ETag of the assembled object (quoted on output).</summary>
    public required string ETag { get; init; }

    /// <summary>Checksums, if any.</summary>
    public IReadOnlyList<S3Checksum>? Checksums { get; init; }

    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteStartElementAsync(null, "CompleteMultipartUploadResult", S3Xml.Namespace).ConfigureAwait(false);
        await writer.ElementAsync("Location", Location).ConfigureAwait(false);
        await writer.ElementAsync("Bucket", Bucket).ConfigureAwait(false);
        await writer.ElementAsync("Key", Key).ConfigureAwait(false);
        await writer.ElementAsync("ETag", Http.ETags.Quote(ETag)).ConfigureAwait(false);
        await S3ChecksumElements.WriteAsync(writer, Checksums).ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
