using System.Globalization;
using Gateway.S3.Errors;
using Gateway.S3.Xml;

namespace Gateway.S3.Http;

/// <summary>Parsing of the integer and enum query parameters of listings and multipart requests.</summary>
public static class S3ListParameters
{
    /// <summary>S3's default and maximum page size.</summary>
    public const int DefaultMaxKeys = 1000;

    /// <summary>
    /// Parses max-keys / max-uploads / max-parts: absent → <paramref name="defaultValue"/>; values
    /// above <paramref name="cap"/> are capped (as S3 does); non-numeric or negative → InvalidArgument.
    /// </summary>
    public static int ParseMaxKeys(string? value, string parameterName = "max-keys", int defaultValue = DefaultMaxKeys, int cap = DefaultMaxKeys)
    {
        if (value is null)
        {
            return defaultValue;
        }

        if (!long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < 0)
        {
            throw S3Exception.InvalidArgument(
                $"Provided {parameterName} not an integer or within integer range",
                parameterName,
                value);
        }

        return (int)Math.Min(n, cap);
    }

    /// <summary>ListBuckets' largest page, and its page size when paginating without max-buckets.</summary>
    public const int MaxBuckets = 10_000;

    /// <summary>
    /// Parses ListBuckets' max-buckets: absent → null (the caller pages by <see cref="MaxBuckets"/> when
    /// continuation-token, prefix or bucket-region is given, else lists everything). Not an integer →
    /// InvalidArgument "Provided max-buckets not an integer or within integer range"; outside 1–10000 →
    /// InvalidArgument "Argument max-buckets must be an integer between 1 and 10000.".
    /// </summary>
    public static int? ParseMaxBuckets(string? value)
    {
        const string name = "max-buckets";
        if (value is null)
        {
            return null;
        }

        if (!int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            throw S3Exception.InvalidArgument($"Provided {name} not an integer or within integer range", name, value);
        }

        if (n is < 1 or > MaxBuckets)
        {
            throw S3Exception.InvalidArgument($"Argument {name} must be an integer between 1 and 10000.", name, value);
        }

        return n;
    }

    /// <summary>Parses partNumber: an integer 1–10000, else InvalidArgument.</summary>
    public static int ParsePartNumber(string? value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 10_000)
        {
            throw S3Exception.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", value);
        }

        return n;
    }

    /// <summary>Parses part-number-marker: absent → 0; else a non-negative integer.</summary>
    public static int ParsePartNumberMarker(string? value)
    {
        if (value is null || value.Length == 0)
        {
            return 0;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw S3Exception.InvalidArgument("Provided part-number-marker not an integer or within integer range", "part-number-marker", value);
        }

        return n;
    }

    /// <summary>Validates encoding-type: null or <c>url</c>, else InvalidArgument.</summary>
    public static string? ParseEncodingType(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!string.Equals(value, S3XmlKeyEncoding.Url, StringComparison.OrdinalIgnoreCase))
        {
            throw S3Exception.InvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", value);
        }

        return S3XmlKeyEncoding.Url;
    }

    /// <summary>Parses fetch-owner (true/false, default false).</summary>
    public static bool ParseBoolean(string? value, string parameterName)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        return value.ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw S3Exception.InvalidArgument($"Invalid value for {parameterName}", parameterName, value),
        };
    }
}
