using System.Xml;
using Gateway.S3.Checksums;

namespace Gateway.S3.Xml.Documents;

/// <summary>
/// CopyObject response (<c>CopyObjectResult</c>) or UploadPartCopy response (<c>CopyPartResult</c>,
/// see <see cref="IsPart"/>): ETag, LastModified, Checksum*.
/// </summary>
public sealed class CopyObjectResult : IS3XmlDocument
{
    /// <summary>ETag of the new object (quoted on output).</summary>
    public required string ETag { get; init; }

    /// <summary>Last-modified time of the new object.</summary>
    public required DateTimeOffset LastModified { get; init; }

    /// <summary>Checksums of the new object, if known.</summary>
    public IReadOnlyList<S3Checksum>? Checksums { get; init; }

    /// <summary>True to write <c>CopyPartResult</c> (UploadPartCopy).</summary>
    public bool IsPart { get; init; }

    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteStartElementAsync(null, IsPart ? "CopyPartResult" : "CopyObjectResult", S3Xml.Namespace).ConfigureAwait(false);
        await writer.ElementAsync("ETag", Http.ETags.Quote(ETag)).ConfigureAwait(false);
        await writer.ElementAsync("LastModified", LastModified).ConfigureAwait(false);
        await S3ChecksumElements.WriteAsync(writer, Checksums).ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
