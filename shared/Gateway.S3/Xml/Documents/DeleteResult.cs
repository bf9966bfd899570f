using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>A successfully deleted entry.</summary>
/// <param name="Key">Key.</param>
/// <param name="VersionId">Version deleted, if the request named one.</param>
/// <param name="DeleteMarker">True when a delete marker was involved.</param>
/// <param name="DeleteMarkerVersionId">Version id of the delete marker.</param>
public sealed record S3Deleted(string Key, string? VersionId = null, bool? DeleteMarker = null, string? DeleteMarkerVersionId = null);

/// <summary>A failed deletion.</summary>
/// <param name="Key">Key.</param>
/// <param name="Code">S3 error code.</param>
/// <param name="Message">Error message.</param>
/// <param name="VersionId">Version, if the request named one.</param>
public sealed record S3DeleteError(string Key, string Code, string Message, string? VersionId = null);

/// <summary>
/// DeleteObjects response: Deleted{Key, VersionId?, DeleteMarker?, DeleteMarkerVersionId?}* then
/// Error{Key, VersionId?, Code, Message}*. In quiet mode only errors are written.
/// </summary>
public sealed class DeleteResult : IS3XmlDocument
{
    /// <summary>Deleted entries.</summary>
    public IReadOnlyList<S3Deleted> Deleted { get; init; } = [];

    /// <summary>Failed entries.</summary>
    public IReadOnlyList<S3DeleteError> Errors { get; init; } = [];

    /// <summary>Quiet mode: omit Deleted entries.</summary>
    public bool Quiet { get; init; }

    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteStartElementAsync(null, "DeleteResult", S3Xml.Namespace).ConfigureAwait(false);
        if (!Quiet)
        {
            foreach (var d in Deleted)
            {
                await writer.WriteStartElementAsync(null, "Deleted", null).ConfigureAwait(false);
                await writer.ElementAsync("Key", d.Key).ConfigureAwait(false);
                await writer.OptionalElementAsync("VersionId", d.VersionId).ConfigureAwait(false);
                if (d.DeleteMarker is bool marker)
                {
                    await writer.ElementAsync("DeleteMarker", marker).ConfigureAwait(false);
                }

                await writer.OptionalElementAsync("DeleteMarkerVersionId", d.DeleteMarkerVersionId).ConfigureAwait(false);
                await writer.WriteEndElementAsync().ConfigureAwait(false);
            }
        }

        foreach (var e in Errors)
        {
            await writer.WriteStartElementAsync(null, "Error", null).ConfigureAwait(false);
            await writer.ElementAsync("Key", e.Key).ConfigureAwait(false);
            await writer.OptionalElementAsync("VersionId", e.VersionId).ConfigureAwait(false);
            await writer.ElementAsync("Code", e.Code).ConfigureAwait(false);
            await writer.ElementAsync("Message", e.Message).ConfigureAwait(false);
            await writer.WriteEndElementAsync().ConfigureAwait(false);
        }

        await writer.WriteFullEndElementAsync().ConfigureAwait(false);
    }
}
