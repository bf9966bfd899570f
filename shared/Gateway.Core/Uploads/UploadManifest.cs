using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Naming;
using Gateway.S3.Http;
using Gateway.S3.Tags;

namespace Gateway.Core.Uploads;

/// <summary>
/// The JSON document written when an upload starts: what the object gets at Complete (the metadata and tags sent with
/// CreateMultipartUpload), and, for an operator browsing the gateway branch, what the directory is.
/// </summary>
internal sealed record UploadManifest
{
    /// <summary>The bucket as the client named it.</summary>
    public required string Bucket { get; init; }

    /// <summary>The destination key.</summary>
    public required string Key { get; init; }

    /// <summary>The upload id.</summary>
    public required string UploadId { get; init; }

    /// <summary>When the upload started.</summary>
    public required DateTimeOffset Initiated { get; init; }

    /// <summary>The object's metadata.</summary>
    public S3ObjectMetadata? Metadata { get; init; }

    /// <summary>The object's tags.</summary>
    public S3TagSet? Tags { get; init; }

    /// <summary>The manifest of an upload of <paramref name="key"/> to <paramref name="bucketName"/>.</summary>
    public static UploadManifest For(string bucketName, string key, string uploadId, DateTimeOffset initiated, S3ObjectMetadata metadata, S3TagSet tags) => new()
    {
        Bucket = bucketName,
        Key = key,
        UploadId = uploadId,
        Initiated = initiated,
        Metadata = metadata,
        Tags = tags.Count > 0 ? tags : null,
    };

    /// <summary>The JSON bytes.</summary>
    public ReadOnlyMemory<byte> Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, UploadManifestJson.Default.UploadManifest);

    /// <summary>Reads a manifest; null when the file is not one.</summary>
    public static async Task<UploadManifest?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, UploadManifestJson.Default.UploadManifest, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The JSON form of manifests (source-generated).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UploadManifest))]
internal sealed partial class UploadManifestJson : JsonSerializerContext;
