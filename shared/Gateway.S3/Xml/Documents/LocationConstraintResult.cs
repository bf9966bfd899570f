using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>GetBucketLocation response: <c>&lt;LocationConstraint&gt;region&lt;/LocationConstraint&gt;</c>; empty for us-east-1, as S3 does.</summary>
/// <param name="Location">The region, or null/empty for us-east-1.</param>
public sealed record LocationConstraintResult(string? Location) : IS3XmlDocument
{
    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteStartElementAsync(null, "LocationConstraint", S3Xml.Namespace).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(Location) && !string.Equals(Location, "us-east-1", StringComparison.Ordinal))
        {
            await writer.WriteStringAsync(S3Xml.ToXmlText(Location)).ConfigureAwait(false);
        }

        await writer.WriteFullEndElementAsync().ConfigureAwait(false);
    }
}
