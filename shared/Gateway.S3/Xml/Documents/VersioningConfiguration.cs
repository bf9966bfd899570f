using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>
/// GetBucketVersioning response and PutBucketVersioning body: Status (Enabled|Suspended; omitted
/// when versioning was never configured), MfaDelete (optional).
/// </summary>
/// <param name="Status">Enabled, Suspended, or null.</param>
/// <param name="MfaDelete">Enabled, Disabled, or null.</param>
public sealed record VersioningConfiguration(string? Status, string? MfaDelete = null) : IS3XmlDocument
{
    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteStartElementAsync(null, "VersioningConfiguration", S3Xml.Namespace).ConfigureAwait(false);
        await writer.OptionalElementAsync("Status", string.IsNullOrEmpty(Status) ? null : Status).ConfigureAwait(false);
        await writer.OptionalElementAsync("MfaDelete", string.IsNullOrEmpty(MfaDelete) ? null : MfaDelete).ConfigureAwait(false);
        await writer.WriteFullEndElementAsync().ConfigureAwait(false);
    }
}
