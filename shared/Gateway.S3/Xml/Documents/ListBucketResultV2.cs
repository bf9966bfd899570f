using System.Xml;

namespace Gateway.S3.Xml.Documents;

/// <summary>
/// ListObjectsV2 response: Name, Prefix, MaxKeys, KeyCount, Delimiter?, IsTruncated,
/// ContinuationToken?, NextContinuationToken?, StartAfter?, EncodingType?, Contents*, CommonPrefixes*.
/// Owner inside Contents only when <see cref="FetchOwner"/>.
/// </summary>
public sealed class ListBucketResultV2 : IS3XmlDocument
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

    /// <summary>The continuation-token of the request, echoed when present.</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>Token for the next page; written when not null.</summary>
    public string? NextContinuationToken { get; init; }

    /// <summary>The start-after of the request, echoed when present.</summary>
    public string? StartAfter { get; init; }

    /// <summary><c>url</c> when keys are URL-encoded.</summary>
    public string? EncodingType { get; init; }

    /// <summary>Whether Contents carry Owner (fetch-owner=true).</summary>
    public bool FetchOwner { get; init; }

    /// <summary>Objects.</summary>
    public IReadOnlyList<S3ObjectEntry> Contents { get; init; } = [];

    /// <summary>Common prefixes.</summary>
    public IReadOnlyList<string> CommonPrefixes { get; init; } = [];

    /// <inheritdoc />
    public async Task WriteToAsync(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var enc = EncodingType;
        await writer.WriteStartElementAsync(null, "ListBucketResult", S3Xml.Namespace).ConfigureAwait(false);
        await writer.ElementAsync("Name", Name).ConfigureAwait(false);
        await writer.ElementAsync("Prefix", S3XmlKeyEncoding.Apply(Prefix, enc)!).ConfigureAwait(false);
        await writer.ElementAsync("MaxKeys", MaxKeys).ConfigureAwait(false);
        await writer.ElementAsync("KeyCount", Contents.Count + CommonPrefixes.Count).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(Delimiter))
        {
            await writer.ElementAsync("Delimiter", S3XmlKeyEncoding.Apply(Delimiter, enc)!).ConfigureAwait(false);
        }

        await writer.ElementAsync("IsTruncated", IsTruncated).ConfigureAwait(false);
        await writer.OptionalElementAsync("ContinuationToken", ContinuationToken).ConfigureAwait(false);
        await writer.OptionalElementAsync("NextContinuationToken", NextContinuationToken).ConfigureAwait(false);
        await writer.OptionalElementAsync("StartAfter", S3XmlKeyEncoding.Apply(StartAfter, enc)).ConfigureAwait(false);
        await writer.OptionalElementAsync("EncodingType", enc).ConfigureAwait(false);
        foreach (var o in Contents)
        {
            await o.WriteAsync(writer, enc, FetchOwner).ConfigureAwait(false);
        }

        await S3ObjectEntry.WriteCommonPrefixesAsync(writer, CommonPrefixes, enc).ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
