using Gateway.S3.Routing;

namespace Gateway.S3.Xml;

/// <summary>
/// Applies <c>encoding-type=url</c> to keys, prefixes, delimiters and markers in listings.
/// Everything but unreserved characters and '/' is percent-encoded (space as %20, '+' as %2B),
/// which both form-style and plain URL decoders in SDKs read back correctly.
/// </summary>
public static class S3XmlKeyEncoding
{
    /// <summary>The only encoding type S3 defines.</summary>
    public const string Url = "url";

    /// <summary>Encodes <paramref name="value"/> when <paramref name="encodingType"/> is <c>url</c>.</summary>
    public static string? Apply(string? value, string? encodingType) =>
        value is null || !string.Equals(encodingType, Url, StringComparison.Ordinal) ? value : S3UriEncoding.Encode(value, keepSlash: true);
}
