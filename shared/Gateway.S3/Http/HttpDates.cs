using System.Globalization;

namespace Gateway.S3.Http;

/// <summary>HTTP date parsing (RFC 1123, RFC 850, asctime) and formatting (RFC 1123).</summary>
public static class HttpDates
{
    private static readonly string[] _formats =
    [
        "r",
        "ddd, d MMM yyyy HH':'mm':'ss 'GMT'",
        "ddd, d MMM yyyy HH':'mm':'ss zzz",
        "ddd, d MMM yyyy HH':'mm':'ss 'UTC'",
        "dddd, dd'-'MMM'-'yy HH':'mm':'ss 'GMT'",
        "ddd MMM d HH':'mm':'ss yyyy",
        "ddd MMM  d HH':'mm':'ss yyyy",
        "yyyyMMdd'T'HHmmss'Z'",
    ];

    /// <summary>Parses an HTTP date; false when absent or malformed.</summary>
    public static bool TryParse(string? value, out DateTimeOffset result)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            result = default;
            return false;
        }

        var text = value.Trim();

        // RFC 822 numeric zones ("+0000", as SigV2 clients send) become "+00:00" for the zzz pattern.
        if (text.Length > 5 && (text[^5] == '+' || text[^5] == '-') && text[^4..].All(char.IsAsciiDigit))
        {
            text = text[..^2] + ":" + text[^2..];
        }

        return DateTimeOffset.TryParseExact(text, _formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out result);
    }

    /// <summary>Formats as RFC 1123 (<c>Sun, 06 Nov 1994 08:49:37 GMT</c>).</summary>
    public static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);
}
