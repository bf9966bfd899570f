using System.Globalization;

namespace Gateway.S3.Auth.SigV4;

/// <summary>Parsing and formatting of SigV4 timestamps (<c>yyyyMMddTHHmmssZ</c>) and credential dates.</summary>
public static class AmzDate
{
    /// <summary>The ISO-8601 basic format used by x-amz-date.</summary>
    public const string Format = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Parses <c>20130524T000000Z</c>.</summary>
    public static bool TryParse(string? value, out DateTimeOffset result) =>
        DateTimeOffset.TryParseExact(value, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out result);

    /// <summary>Formats as <c>20130524T000000Z</c>.</summary>
    public static string ToAmzDate(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Formats the scope date <c>20130524</c>.</summary>
    public static string ToScopeDate(DateTimeOffset value) => value.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
