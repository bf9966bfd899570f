using System.Xml;
using Gateway.S3.Tags;

namespace Gateway.S3.Xml.Documents;

/// <summary>GetObjectTagging response: Tagging{TagSet{Tag{Key, Value}*}}, the tags in the set's order.</summary>
public sealed class Tagging : IS3XmlDocument
{
    /// <summary>The object's tags (empty for an untagged object: S3 answers an empty TagSet).</summary>
    public required S3TagSet TagSet { get; init; }

    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteStartElementAsync(null, "Tagging", S3Xml.Namespace).ConfigureAwait(false);
        await writer.WriteStartElementAsync(null, "TagSet", null).ConfigureAwait(false);
        foreach (var tag in TagSet)
        {
            await writer.WriteStartElementAsync(null, "Tag", null).ConfigureAwait(false);
            await writer.ElementAsync("Key", tag.Key).ConfigureAwait(false);
            await writer.ElementAsync("Value", tag.Value).ConfigureAwait(false);
            await writer.WriteEndElementAsync().ConfigureAwait(false);
        }

        await writer.WriteEndElementAsync().ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
