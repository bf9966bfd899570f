using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.S3.Json;

namespace Gateway.S3.Checksums;

/// <summary>
/// The checksum S3 keeps with an object and its type. For <see cref="S3ChecksumType.Composite"/> the value
/// carries the <c>-N</c> part-count suffix, as <see cref="S3ChecksumCombiner.Composite"/> returns it and S3
/// answers it. JSON: <c>{"algorithm":"CRC32","value":"…","type":"FULL_OBJECT"}</c> through
/// <see cref="ToJson"/>/<see cref="FromJson"/> or as a member of any type (trim-safe converter).
/// Response headers: <see cref="Http.S3ChecksumHeaders"/>.
/// </summary>
/// <param name="Checksum">Algorithm and value (base64, plus <c>-N</c> when composite).</param>
/// <param name="Type">Full-object or composite.</param>
[JsonConverter(typeof(S3StoredChecksumJsonConverter))]
public sealed record S3StoredChecksum(S3Checksum Checksum, S3ChecksumType Type)
{
    /// <summary>A full-object checksum (any single-part upload, or a combined CRC).</summary>
    public static S3StoredChecksum FullObject(S3Checksum checksum) => new(checksum, S3ChecksumType.FullObject);

    /// <summary>The composite checksum of a multipart object from its parts' checksums, in part order.</summary>
    public static S3StoredChecksum Composite(S3ChecksumAlgorithm algorithm, IReadOnlyList<S3Checksum> parts) =>
        new(new S3Checksum(algorithm, S3ChecksumCombiner.Composite(algorithm, parts)), S3ChecksumType.Composite);

    /// <summary>Compact JSON (see the type's remarks).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, S3JsonContext.Default.S3StoredChecksum);

    /// <summary>Reads what <see cref="ToJson"/> wrote; throws <see cref="JsonException"/> for anything else.</summary>
    public static S3StoredChecksum FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, S3JsonContext.Default.S3StoredChecksum) ?? throw new JsonException("Expected a checksum object, not null.");
    }
}
