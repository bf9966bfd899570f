using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.S3.Http;

namespace Gateway.S3.Json;

/// <summary>Reads and writes <see cref="S3ObjectMetadata"/> in its compact JSON form.</summary>
public sealed class S3ObjectMetadataJsonConverter : JsonConverter<S3ObjectMetadata>
{
    /// <inheritdoc />
    public override S3ObjectMetadata Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var json = JsonSerializer.Deserialize(ref reader, S3JsonContext.Default.ObjectMetadataJson)
            ?? throw new JsonException("Expected a metadata object.");
        if (json.UserMetadata is { } values && values.Values.Any(v => v is null))
        {
            throw new JsonException("User metadata values must be strings.");
        }

        return new S3ObjectMetadata
        {
            ContentType = json.ContentType,
            ContentEncoding = json.ContentEncoding,
            ContentDisposition = json.ContentDisposition,
            ContentLanguage = json.ContentLanguage,
            CacheControl = json.CacheControl,
            Expires = json.Expires,
            UserMetadata = json.UserMetadata is { } meta
                ? new SortedDictionary<string, string>(meta, StringComparer.Ordinal)
                : new SortedDictionary<string, string>(StringComparer.Ordinal),
        };
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, S3ObjectMetadata value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        var json = new ObjectMetadataJson
        {
            ContentType = value.ContentType,
            ContentEncoding = value.ContentEncoding,
            ContentDisposition = value.ContentDisposition,
            ContentLanguage = value.ContentLanguage,
            CacheControl = value.CacheControl,
            Expires = value.Expires,
            UserMetadata = value.UserMetadata.Count == 0 ? null : new SortedDictionary<string, string>(value.UserMetadata.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal),
        };
        JsonSerializer.Serialize(writer, json, S3JsonContext.Default.ObjectMetadataJson);
    }
}
