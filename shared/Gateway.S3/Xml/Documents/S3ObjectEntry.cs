using System.Xml;
using Gateway.S3.Checksums;

namespace Gateway.S3.Xml.Documents;

/// <summary>One object in a listing (<c>Contents</c>).</summary>
public sealed record S3ObjectEntry
{
    /// <summary>Key (raw; URL-encoded on output when encoding-type=url).</summary>
    public required string Key { get; init; }

    /// <summary>Last modification time.</summary>
    public required DateTimeOffset LastModified { get; init; }

    /// <summary>ETag, quoted or not (quoted on output).</summary>
    public required string ETag { get; init; }

    /// <summary>Size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Storage class. Default STANDARD.</summary>
    public string StorageClass { get; init; } = "STANDARD";

    /// <summary>Owner; written only when the listing asks for owners.</summary>
    public S3Owner? Owner { get; init; }

    /// <summary>Checksum algorithm the object was uploaded with, if known.</summary>
    public S3ChecksumAlgorithm? ChecksumAlgorithm { get; init; }

    internal async Task WriteAsync(XmlWriter w, string? encodingType, bool writeOwner)
    {
        await w.WriteStartElementAsync(null, "Contents", null).ConfigureAwait(false);
        await w.ElementAsync("Key", S3XmlKeyEncoding.Apply(Key, encodingType)!).ConfigureAwait(false);
        await w.ElementAsync("LastModified", LastModified).ConfigureAwait(false);
        await w.ElementAsync("ETag", Http.ETags.Quote(ETag)).ConfigureAwait(false);
        if (ChecksumAlgorithm is S3ChecksumAlgorithm a)
        {
            await w.ElementAsync("ChecksumAlgorithm", S3ChecksumAlgorithms.WireName(a)).ConfigureAwait(false);
        }

        await w.ElementAsync("Size", Size).ConfigureAwait(false);
        if (writeOwner && Owner is not null)
        {
            await Owner.WriteAsync(w, "Owner").ConfigureAwait(false);
        }

        await w.ElementAsync("StorageClass", StorageClass).ConfigureAwait(false);
        await w.WriteEndElementAsync().ConfigureAwait(false);
    }

    internal static async Task WriteCommonPrefixesAsync(XmlWriter w, IReadOnlyList<string> prefixes, string? encodingType)
    {
        foreach (var p in prefixes)
        {
            await w.WriteStartElementAsync(null, "CommonPrefixes", null).ConfigureAwait(false);
            await w.ElementAsync("Prefix", S3XmlKeyEncoding.Apply(p, encodingType)!).ConfigureAwait(false);
            await w.WriteEndElementAsync().ConfigureAwait(false);
        }
    }
}
