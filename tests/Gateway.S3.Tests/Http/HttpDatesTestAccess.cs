using Gateway.S3.Http;

namespace Gateway.S3.Tests.Http;

internal static class HttpDatesTestAccess
{
    public static DateTimeOffset Parse(string value) =>
        HttpDates.TryParse(value, out var d) ? d : throw new FormatException(value);
}
