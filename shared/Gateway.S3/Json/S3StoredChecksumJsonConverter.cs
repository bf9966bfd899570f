using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.S3.Checksums;

namespace Gateway.S3.Json;

/// <summary>Reads and writes <see cref="S3StoredChecksum"/> as <c>{"algorithm":"CRC32","value":"…","type":"FULL_OBJECT"}</c>.</summary>
public sealed class S3StoredChecksumJsonConverter : JsonConverter<S3StoredChecksum>
{
    /// <inheritdoc />
    public override S3StoredChecksum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var json = JsonSerializer.Deserialize(ref reader, S3JsonContext.Default.StoredChecksumJson)
            ?? throw new JsonException("Expected a checksum object.");
        if (!S3ChecksumAlgorithms.TryParse(json.Algorithm, out var algorithm))
        {
            throw new JsonException($"Unknown checksum algorithm '{json.Algorithm}'.");
        }

        if (!S3ChecksumTypes.TryParse(json.Type, out var type))
        {
            throw new JsonException($"Unknown checksum type '{json.Type}'.");
        }

        if (string.IsNullOrEmpty(json.Value))
        {
            throw new JsonException("A checksum needs a value.");
        }

        return new S3StoredChecksum(new S3Checksum(algorithm, json.Value), type);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, S3StoredChecksum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        var json = new StoredChecksumJson(
            S3ChecksumAlgorithms.WireName(value.Checksum.Algorithm),
            value.Checksum.Base64,
            S3ChecksumTypes.WireName(value.Type));
        JsonSerializer.Serialize(writer, json, S3JsonContext.Default.StoredChecksumJson);
    }
}
