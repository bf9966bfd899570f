using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>
/// ListObjects (v1) response: Name, Prefix, Marker, MaxKeys, Delimiter?, IsTruncated, NextMarker?,
/// EncodingType?, Contents*, CommonPrefixes*.
/// </summary>
public sealed class ListBucketResult : IS3XmlDocument
{
    /// <summary>Bucket name.</summary>
    public required string Name { get; init; }

    /// <summary>Prefix as requested (empty when none).</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>Marker as requested (empty when none).</summary>
    public string Marker { get; init; } = string.Empty;

    /// <summary>Effective max-keys.</summary>
    public int MaxKeys { get; init; } = 1000;

    /// <summary>Delimiter; omitted when null or empty.</summary>
    public string? Delimiter { get; init; }

    /// <summary>Whether more results follow.</summary>
    public bool IsTruncated { get; init; }

    /// <summary>Next marker; written only when truncated and not null.</summary>
    public string? NextMarker { get; init; }

    /// <summary><c>url</c> when keys are URL-encoded; omitted when null.</summary>
    public string? EncodingType { get; init; }

    /// <summary>Objects.</summary>
    public IReadOnlyList<S3ObjectEntry> Contents { get; init; } = [];

    /// <summary>Common prefixes (each ends with the delimiter).</summary>
    public IReadOnlyList<string> CommonPrefixes { get; init; } = [];

    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var enc = EncodingType;
        await writer.WriteStartElementAsync(null, "ListBucketResult", S3Xml.Namespace).ConfigureAwait(false);
        await writer.ElementAsync("Name", Name).ConfigureAwait(false);
        await writer.ElementAsync("Prefix", S3XmlKeyEncoding.Apply(Prefix, enc)!).ConfigureAwait(false);
        await writer.ElementAsync("Marker", S3XmlKeyEncoding.Apply(Marker, enc)!).ConfigureAwait(false);
        await writer.ElementAsync("MaxKeys", MaxKeys).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(Delimiter))
        {
            await writer.ElementAsync("Delimiter", S3XmlKeyEncoding.Apply(Delimiter, enc)!).ConfigureAwait(false);
        }

        await writer.ElementAsync("IsTruncated", IsTruncated).ConfigureAwait(false);
        if (IsTruncated && NextMarker is not null)
        {
            await writer.ElementAsync("NextMarker", S3XmlKeyEncoding.Apply(NextMarker, enc)!).ConfigureAwait(false);
        }

        await writer.OptionalElementAsync("EncodingType", enc).ConfigureAwait(false);
        foreach (var o in Contents)
        {
            await o.WriteAsync(writer, enc, writeOwner: true).ConfigureAwait(false);
        }

        await S3ObjectEntry.WriteCommonPrefixesAsync(writer, CommonPrefixes, enc).ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
