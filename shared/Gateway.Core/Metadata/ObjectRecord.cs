using System.Text.Json.Serialization;
using Gateway.Core.Objects;
using Gateway.S3.Checksums;
using Gateway.S3.Http;
using Gateway.S3.Tags;

namespace Gateway.Core.Metadata;

/// <summary>
/// What the gateway keeps about one version of an object beside its content: the ETag S3 clients compare, the
/// metadata and tags the client sent, the checksum it was verified against, and the part sizes of a multipart object.
/// It names the content it describes (pachd's hash and the size), and counts only while they match.
/// </summary>
internal sealed record ObjectRecord
{
    /// <summary>pachd's hash of the content described, lower-case hex.</summary>
    public required string Hash { get; init; }

    /// <summary>Bytes of the content described.</summary>
    public required long Size { get; init; }

    /// <summary>The quoted ETag: the content's MD5, or S3's <c>md5-of-part-md5s-N</c> for a multipart object.</summary>
    public required string ETag { get; init; }

    /// <summary>Content-Type and the other stored headers, and <c>x-amz-meta-*</c>.</summary>
    public S3ObjectMetadata? Metadata { get; init; }

    /// <summary>The checksum the content was verified against (FULL_OBJECT) or the multipart composite.</summary>
    public S3StoredChecksum? Checksum { get; init; }

    /// <summary>The object's tags.</summary>
    public S3TagSet? Tags { get; init; }

    /// <summary>The sizes of a multipart object's parts, in order (null for single-part objects).</summary>
    public IReadOnlyList<long>? PartSizes { get; init; }

    /// <summary>
    /// The commit whose write through the gateway last stored this content at this key: the version id a read of the
    /// current object reports (null in records written before versions were recorded).
    /// </summary>
    public string? VersionId { get; init; }

    /// <summary>A record for <paramref name="found"/> carrying nothing but its content-derived ETag.</summary>
    public static ObjectRecord Bare(StoredObject found) => new() { Hash = found.Hash, Size = found.Size, ETag = found.ContentETag };

    /// <summary>This record, moved onto <paramref name="found"/>'s content (a copy of the same bytes).</summary>
    public ObjectRecord For(StoredObject found) => this with { Hash = found.Hash, Size = found.Size, VersionId = found.VersionId };
}

/// <summary>The JSON form of records: camelCase, nulls left out, source-generated (no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ObjectRecord))]
internal sealed partial class ObjectRecordJson : JsonSerializerContext;
