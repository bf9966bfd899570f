using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>
/// ListObjects (v1) response: Name, Prefix, Marker, MaxKeys, Delimiter?, IsTruncated, NextMarker?,
/// EncodingType?, Contents*, CommonPrefixes*.
/// </summary>
public sealed class ListBucketResult : ListBucketResultBase
{
    /// <summary>Marker as requested (empty when none).</summary>
    public string Marker { get; init; } = string.Empty;

    /// <summary>Next marker; written only when truncated and not null.</summary>
    public string? NextMarker { get; init; }

    /// <inheritdoc />
    public override async Task WriteToAsync(XmlWriter writer)
    {
        var enc = EncodingType;
        await WriteStartAsync(writer).ConfigureAwait(false);
        await writer.ElementAsync("Marker", S3XmlKeyEncoding.Apply(Marker, enc)!).ConfigureAwait(false);
        await writer.ElementAsync("MaxKeys", MaxKeys).ConfigureAwait(false);
        await WriteDelimiterAsync(writer).ConfigureAwait(false);
        await writer.ElementAsync("IsTruncated", IsTruncated).ConfigureAwait(false);
        if (IsTruncated && NextMarker is not null)
        {
            await writer.ElementAsync("NextMarker", S3XmlKeyEncoding.Apply(NextMarker, enc)!).ConfigureAwait(false);
        }

        await WriteEntriesAsync(writer, writeOwner: true).ConfigureAwait(false);
    }
}
