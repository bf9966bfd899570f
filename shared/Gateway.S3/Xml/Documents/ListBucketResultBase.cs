using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>What the ListObjects (v1) and ListObjectsV2 documents share: the listing and how keys are encoded.</summary>
public abstract class ListBucketResultBase : IS3XmlDocument
{
    /// <summary>Bucket name.</summary>
    public required string Name { get; init; }

    /// <summary>Prefix as requested (empty when none).</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>Effective max-keys.</summary>
    public int MaxKeys { get; init; } = 1000;

    /// <summary>Delimiter; omitted when null or empty.</summary>
    public string? Delimiter { get; init; }

    /// <summary>Whether more results follow.</summary>
    public bool IsTruncated { get; init; }

    /// <summary><c>url</c> when keys are URL-encoded; omitted when null.</summary>
    public string? EncodingType { get; init; }

    /// <summary>Objects.</summary>
    public IReadOnlyList<S3ObjectEntry> Contents { get; init; } = [];

    /// <summary>Common prefixes (each ends with the delimiter).</summary>
    public IReadOnlyList<string> CommonPrefixes { get; init; } = [];

    /// <inheritdoc />
    public abstract Task WriteToAsync(XmlWriter writer);

    /// <summary>The root element (S3's namespace), <c>Name</c> and <c>Prefix</c>.</summary>
    protected async Task WriteStartAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteStartElementAsync(null, "ListBucketResult", S3Xml.Namespace).ConfigureAwait(false);
        await writer.ElementAsync("Name", Name).ConfigureAwait(false);
        await writer.ElementAsync("Prefix", S3XmlKeyEncoding.Apply(Prefix, EncodingType)!).ConfigureAwait(false);
    }

    /// <summary><c>&lt;Delimiter&gt;</c> when there is one.</summary>
    protected Task WriteDelimiterAsync(XmlWriter writer) =>
        string.IsNullOrEmpty(Delimiter) ? Task.CompletedTask : writer.ElementAsync("Delimiter", S3XmlKeyEncoding.Apply(Delimiter, EncodingType)!);

    /// <summary><c>EncodingType</c>, the <c>Contents</c> and the <c>CommonPrefixes</c>, then the end of the root.</summary>
    protected async Task WriteEntriesAsync(XmlWriter writer, bool writeOwner)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.OptionalElementAsync("EncodingType", EncodingType).ConfigureAwait(false);
        foreach (var o in Contents)
        {
            await o.WriteAsync(writer, EncodingType, writeOwner).ConfigureAwait(false);
        }

        await S3ObjectEntry.WriteCommonPrefixesAsync(writer, CommonPrefixes, EncodingType).ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
