using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.S3.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tags;

/// <summary>
/// An object's tags, validated as S3 validates them and kept in the order given. Built from the
/// <c>x-amz-tagging</c> header (<see cref="FromHeader"/>), a PutObjectTagging body
/// (<see cref="Xml.Requests.S3XmlRequestReader.ReadTaggingAsync"/>) or tags already held (<see cref="Create"/>).
/// Serialises to JSON as <c>[{"key":"k","value":"v"},…]</c> through <see cref="ToJson"/>/<see cref="FromJson"/>, or
/// as a member of any other type: the <see cref="JsonConverterAttribute"/> needs no reflection.
/// </summary>
[JsonConverter(typeof(S3TagSetJsonConverter))]
public sealed class S3TagSet : IReadOnlyList<S3Tag>
{
    /// <summary>Request header carrying tags on PutObject, CreateMultipartUpload and CopyObject.</summary>
    public const string HeaderName = "x-amz-tagging";

    /// <summary>Response header of GetObject and HeadObject: the number of tags, when there are any.</summary>
    public const string CountHeaderName = "x-amz-tagging-count";

    /// <summary>Most tags one object may have.</summary>
    public const int MaxTags = 10;

    /// <summary>Longest key, in UTF-16 code units.</summary>
    public const int MaxKeyLength = 128;

    /// <summary>Longest value, in UTF-16 code units.</summary>
    public const int MaxValueLength = 256;

    private readonly S3Tag[] _tags;

    private S3TagSet(S3Tag[] tags) => _tags = tags;

    /// <summary>The set without tags.</summary>
    public static S3TagSet Empty { get; } = new([]);

    /// <summary>Number of tags (the value of <see cref="CountHeaderName"/>).</summary>
    public int Count => _tags.Length;

    /// <summary>The tag at <paramref name="index"/>.</summary>
    public S3Tag this[int index] => _tags[index];

    /// <summary>
    /// Validates <paramref name="tags"/>: more than 10 → BadRequest ("Object tags cannot be greater than 10");
    /// then per tag, in order, InvalidTag with a <c>TagKey</c> element for a repeated key ("Cannot provide
    /// multiple Tags with the same key"), an <c>aws:</c> key ("Your TagKey cannot be prefixed with aws:"), a
    /// bad key ("The TagKey you have provided is invalid") and, adding <c>TagValue</c>, a bad value ("The
    /// TagValue you have provided is invalid").
    /// </summary>
    public static S3TagSet Create(IEnumerable<S3Tag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var array = tags.ToArray();
        if (Array.Exists(array, t => t is null || t.Key is null || t.Value is null))
        {
            throw new ArgumentException("Tags, keys and values must not be null.", nameof(tags));
        }

        S3TagRules.Validate(array);
        return array.Length == 0 ? Empty : new S3TagSet(array);
    }

    /// <summary>
    /// Parses an <c>x-amz-tagging</c> value (null or empty → <see cref="Empty"/>). It is URL query parameters in
    /// form encoding: '+' is a space, <c>%XX</c> are UTF-8 bytes, empty pieces are skipped, <c>k</c> alone
    /// means <c>k=</c>. A bad escape, bad UTF-8, <c>=v</c>, a second '=' in a pair or a repeated key is
    /// InvalidArgument naming <c>x-amz-tagging</c>; the tags are then checked as by <see cref="Create"/>.
    /// </summary>
    public static S3TagSet FromHeader(string? headerValue) =>
        string.IsNullOrEmpty(headerValue) ? Empty : Create(S3TaggingHeader.Parse(headerValue));

    /// <summary>Writes <c>x-amz-tagging-count</c> when the set holds tags (S3 omits it otherwise).</summary>
    public void ApplyCountTo(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (Count > 0)
        {
            headers[CountHeaderName] = Count.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Compact JSON: <c>[{"key":"k","value":"v"}]</c>, tags in order.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, S3JsonContext.Default.S3TagSet);

    /// <summary>Reads what <see cref="ToJson"/> wrote; throws <see cref="JsonException"/> for anything else.</summary>
    public static S3TagSet FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, S3JsonContext.Default.S3TagSet) ?? throw new JsonException("Expected a tag array, not null.");
    }

    /// <summary>Wraps tags read back from storage: shape-checked by the caller, not validated again.</summary>
    internal static S3TagSet FromStored(S3Tag[] tags) => tags.Length == 0 ? Empty : new S3TagSet(tags);

    /// <inheritdoc />
    public IEnumerator<S3Tag> GetEnumerator() => ((IEnumerable<S3Tag>)_tags).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
