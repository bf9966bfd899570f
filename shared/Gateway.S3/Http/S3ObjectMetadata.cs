using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.S3.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.S3.Http;

/// <summary>
/// The metadata S3 keeps with an object and answers on GET and HEAD: Content-Type, Content-Encoding (without
/// the <c>aws-chunked</c> transport coding), Content-Disposition, Content-Language, Cache-Control, Expires (the
/// string as sent, not parsed) and user metadata (<c>x-amz-meta-*</c>, names lower-case). Absent values are
/// null. JSON through <see cref="ToJson"/>/<see cref="FromJson"/> or as a member of any type (the
/// <see cref="JsonConverterAttribute"/> is source-generated, trim-safe): <c>{"contentType":"text/plain",
/// "userMetadata":{"a":"1"}}</c>, absent members left out, unknown members ignored on reading.
/// </summary>
[JsonConverter(typeof(S3ObjectMetadataJsonConverter))]
public sealed class S3ObjectMetadata
{
    /// <summary>Response header counting user metadata values that could not be sent (control characters).</summary>
    public const string MissingMetaHeaderName = "x-amz-missing-meta";

    /// <summary>Metadata with nothing set.</summary>
    public static S3ObjectMetadata Empty { get; } = new();

    /// <summary>Content-Type as sent.</summary>
    public string? ContentType { get; init; }

    /// <summary>Content-Encoding as sent, less <c>aws-chunked</c>; null when nothing else was sent.</summary>
    public string? ContentEncoding { get; init; }

    /// <summary>Content-Disposition as sent.</summary>
    public string? ContentDisposition { get; init; }

    /// <summary>Content-Language as sent.</summary>
    public string? ContentLanguage { get; init; }

    /// <summary>Cache-Control as sent.</summary>
    public string? CacheControl { get; init; }

    /// <summary>Expires exactly as sent (S3 keeps and returns the string).</summary>
    public string? Expires { get; init; }

    /// <summary>User metadata: lower-case name without <c>x-amz-meta-</c> → value.</summary>
    public IReadOnlyDictionary<string, string> UserMetadata { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>
    /// Reads the metadata a PutObject, CreateMultipartUpload or CopyObject (REPLACE) request sets. Empty header
    /// values count as absent. User metadata over 2 KB → MetadataTooLarge (see <see cref="S3UserMetadata"/>).
    /// </summary>
    public static S3ObjectMetadata FromRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.Headers;
        return new S3ObjectMetadata
        {
            ContentType = NullIfEmpty(headers.ContentType.ToString()),
            ContentEncoding = StoredContentEncoding(headers.ContentEncoding.ToString()),
            ContentDisposition = NullIfEmpty(headers.ContentDisposition.ToString()),
            ContentLanguage = NullIfEmpty(headers.ContentLanguage.ToString()),
            CacheControl = NullIfEmpty(headers.CacheControl.ToString()),
            Expires = NullIfEmpty(headers.Expires.ToString()),
            UserMetadata = S3UserMetadata.FromHeaders(headers),
        };
    }

    /// <summary>
    /// The Content-Encoding to store: <paramref name="contentEncoding"/> without the <c>aws-chunked</c> coding
    /// (which describes the request's framing, not the object); null when nothing else remains.
    /// </summary>
    public static string? StoredContentEncoding(string? contentEncoding)
    {
        var parts = (contentEncoding ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => !string.Equals(p, "aws-chunked", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        return parts.Length == 0 ? null : string.Join(',', parts);
    }

    /// <summary>
    /// Writes the set values as response headers, user metadata as <c>x-amz-meta-&lt;name&gt;</c>. A value with
    /// non-ASCII characters is sent as an RFC 2047 encoded word of its UTF-8 (<c>=?UTF-8?B?…?=</c>), as S3 does;
    /// one with control characters is left out, and for user metadata counted in <c>x-amz-missing-meta</c>.
    /// Call before applying GetObject's <c>response-*</c> overrides.
    /// </summary>
    public void ApplyTo(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Set(headers, HeaderNames.ContentType, ContentType);
        Set(headers, HeaderNames.ContentEncoding, ContentEncoding);
        Set(headers, HeaderNames.ContentDisposition, ContentDisposition);
        Set(headers, HeaderNames.ContentLanguage, ContentLanguage);
        Set(headers, HeaderNames.CacheControl, CacheControl);
        Set(headers, HeaderNames.Expires, Expires);
        var missing = 0;
        foreach (var (name, value) in UserMetadata)
        {
            missing += Set(headers, S3UserMetadata.Prefix + name, value) ? 0 : 1;
        }

        if (missing > 0)
        {
            headers[MissingMetaHeaderName] = missing.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Compact JSON of the set values (see the type's remarks).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, S3JsonContext.Default.S3ObjectMetadata);

    /// <summary>Reads what <see cref="ToJson"/> wrote; throws <see cref="JsonException"/> when it is not such an object.</summary>
    public static S3ObjectMetadata FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, S3JsonContext.Default.S3ObjectMetadata) ?? throw new JsonException("Expected a metadata object, not null.");
    }

    private static bool Set(IHeaderDictionary headers, string name, string? value)
    {
        if (value is null)
        {
            return true;
        }

        var headerValue = S3HeaderText.ToHeaderValue(value);
        if (headerValue is null)
        {
            return false;
        }

        headers[name] = headerValue;
        return true;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
