using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.S3.Tags;

namespace Gateway.S3.Json;

/// <summary>Reads and writes <see cref="S3TagSet"/> as <c>[{"key":"k","value":"v"},…]</c>, in order.</summary>
public sealed class S3TagSetJsonConverter : JsonConverter<S3TagSet>
{
    /// <inheritdoc />
    public override S3TagSet Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var items = JsonSerializer.Deserialize(ref reader, S3JsonContext.Default.TagJsonArray)
            ?? throw new JsonException("Expected a tag array.");
        var tags = new S3Tag[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            if (item?.Key is null || item.Value is null)
            {
                throw new JsonException("Every tag needs a key and a value.");
            }

            tags[i] = new S3Tag(item.Key, item.Value);
        }

        return S3TagSet.FromStored(tags);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, S3TagSet value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        var items = value.Select(t => new TagJson(t.Key, t.Value)).ToArray();
        JsonSerializer.Serialize(writer, items, S3JsonContext.Default.TagJsonArray);
    }
}
