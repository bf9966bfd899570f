using System.Text.Json.Serialization;
using Gateway.S3.Checksums;
using Gateway.S3.Http;
using Gateway.S3.Tags;

namespace Gateway.S3.Tests.Json;

/// <summary>What a caller's stored record might hold: the S3 types as members.</summary>
public sealed record StoredObjectRecord(S3ObjectMetadata Metadata, S3TagSet Tags, S3StoredChecksum? Checksum, S3StoredChecksum? Missing);

/// <summary>A caller's own source-generated context: the S3 types' converters come from their attributes.</summary>
[JsonSerializable(typeof(StoredObjectRecord))]
internal sealed partial class EmbeddingContext : JsonSerializerContext;
