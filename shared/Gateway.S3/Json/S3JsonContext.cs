using System.Text.Json.Serialization;
using Gateway.S3.Checksums;
using Gateway.S3.Http;
using Gateway.S3.Tags;

namespace Gateway.S3.Json;

/// <summary>
/// Source-generated (trim-safe, no reflection) serialisation of what S3 stores with an object: compact
/// (no indentation), camelCase names, absent values left out. The public types carry converters that go
/// through the internal wire records here, so their JSON form is fixed independently of their C# shape.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(S3ObjectMetadata))]
[JsonSerializable(typeof(S3TagSet))]
[JsonSerializable(typeof(S3StoredChecksum))]
[JsonSerializable(typeof(ObjectMetadataJson))]
[JsonSerializable(typeof(TagJson[]))]
[JsonSerializable(typeof(StoredChecksumJson))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
