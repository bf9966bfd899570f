using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>Owner/Initiator element content.</summary>
/// <param name="Id">Canonical user id.</param>
/// <param name="DisplayName">Display name.</param>
public sealed record S3Owner(string Id, string DisplayName)
{
    internal async Task WriteAsync(XmlWriter w, string elementName)
    {
        await w.WriteStartElementAsync(null, elementName, null).ConfigureAwait(false);
        await w.ElementAsync("ID", Id).ConfigureAwait(false);
        await w.ElementAsync("DisplayName", DisplayName).ConfigureAwait(false);
        await w.WriteEndElementAsync().ConfigureAwait(false);
    }
}
