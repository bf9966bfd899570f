using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>CreateMultipartUpload response: Bucket, Key, UploadId.</summary>
/// <param name="Bucket">Bucket.</param>
/// <param name="Key">Key.</param>
/// <param name="UploadId">The new upload id.</param>
public sealed record InitiateMultipartUploadResult(string Bucket, string Key, string UploadId) : IS3XmlDocument
{
    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteStartElementAsync(null, "InitiateMultipartUploadResult", S3Xml.Namespace).ConfigureAwait(false);
        await writer.ElementAsync("Bucket", Bucket).ConfigureAwait(false);
        await writer.ElementAsync("Key", Key).ConfigureAwait(false);
        await writer.ElementAsync("UploadId", UploadId).ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
