using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>
/// ListObjectsV2 response: Name, Prefix, MaxKeys, KeyCount, Delimiter?, IsTruncated,
/// ContinuationToken?, NextContinuationToken?, StartAfter?, EncodingType?, Contents*, CommonPrefixes*.
/// Owner inside Contents only when <see cref="FetchOwner"/>.
/// </summary>
public sealed class ListBucketResultV2 : ListBucketResultBase
{
    /// <summary>The continuation-token of the request, echoed when present.</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>Token for the next page; written when not null.</summary>
    public string? NextContinuationToken { get; init; }

    /// <summary>The start-after of the request, echoed when present.</summary>
    public string? StartAfter { get; init; }

    /// <summary>Whether Contents carry Owner (fetch-owner=true).</summary>
    public bool FetchOwner { get; init; }

    /// <inheritdoc />
    public override async Task WriteToAsync(XmlWriter writer)
    {
        var enc = EncodingType;
        await WriteStartAsync(writer).ConfigureAwait(false);
        await writer.ElementAsync("MaxKeys", MaxKeys).ConfigureAwait(false);
        await writer.ElementAsync("KeyCount", Contents.Count + CommonPrefixes.Count).ConfigureAwait(false);
        await WriteDelimiterAsync(writer).ConfigureAwait(false);
        await writer.ElementAsync("IsTruncated", IsTruncated).ConfigureAwait(false);
        await writer.OptionalElementAsync("ContinuationToken", ContinuationToken).ConfigureAwait(false);
        await writer.OptionalElementAsync("NextContinuationToken", NextContinuationToken).ConfigureAwait(false);
        await writer.OptionalElementAsync("StartAfter", S3XmlKeyEncoding.Apply(StartAfter, enc)).ConfigureAwait(false);
        await WriteEntriesAsync(writer, FetchOwner).ConfigureAwait(false);
    }
}
