using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.S3.Checksums;
using Gateway.S3.Http;
using Gateway.S3.Xml.Requests;

namespace Gateway.Core.Uploads;

/// <summary>
/// What a completed upload leaves behind in its directory in place of its parts and manifest: the answer Complete
/// gave and the parts it was given. A client whose first CompleteMultipartUpload answer was lost retries it; S3
/// answers such a retry with the same result, so the gateway does too when the retry names the same parts (S3's
/// NoSuchUpload otherwise). Kept for the upload expiry (<see cref="UploadExpiry"/>) after completion.
/// </summary>
internal sealed record UploadReceipt
{
    /// <summary>The object's key.</summary>
    public required string Key { get; init; }

    /// <summary>The upload id.</summary>
    public required string UploadId { get; init; }

    /// <summary>When Complete finished.</summary>
    public required DateTimeOffset Completed { get; init; }

    /// <summary>The ETag Complete answered.</summary>
    public required string ETag { get; init; }

    /// <summary>The version id (commit) Complete answered.</summary>
    public string? VersionId { get; init; }

    /// <summary>The composite checksum Complete answered, if any.</summary>
    public S3StoredChecksum? Checksum { get; init; }

    /// <summary>The parts Complete was given, in order.</summary>
    public required IReadOnlyList<UploadReceiptPart> Parts { get; init; }

    /// <summary>True when <paramref name="requested"/> names the same parts with the same ETags (quotes ignored).</summary>
    public bool Matches(IReadOnlyList<S3CompletedPart> requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (requested.Count != Parts.Count)
        {
            return false;
        }

        for (var i = 0; i < requested.Count; i++)
        {
            if (requested[i].PartNumber != Parts[i].Number || !ETags.AreEqual(requested[i].ETag, Parts[i].ETag))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The JSON bytes.</summary>
    public ReadOnlyMemory<byte> Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, UploadReceiptJson.Default.UploadReceipt);

    /// <summary>Reads a receipt; null when the file is not one.</summary>
    public static async Task<UploadReceipt?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, UploadReceiptJson.Default.UploadReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One part named by the completing request.</summary>
/// <param name="Number">The part number.</param>
/// <param name="ETag">The part's ETag, as stored.</param>
internal sealed record UploadReceiptPart(int Number, string ETag);

/// <summary>The JSON form of receipts (source-generated).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UploadReceipt))]
internal sealed partial class UploadReceiptJson : JsonSerializerContext;
