using Gateway.S3.Errors;

namespace Gateway.S3.Auth.SigV4;

/// <summary>The parsed <c>Credential=AKID/yyyyMMdd/region/s3/aws4_request</c> component.</summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="Date">Scope date <c>yyyyMMdd</c>.</param>
/// <param name="Region">Region.</param>
/// <param name="Service">Service (must be <c>s3</c>).</param>
public sealed record SigV4Credential(string AccessKeyId, string Date, string Region, string Service)
{
    /// <summary>The scope string used in the string-to-sign.</summary>
    public string Scope => $"{Date}/{Region}/{Service}/aws4_request";

    /// <summary>Parses and validates the credential value; <paramref name="error"/> is the S3 error to raise on failure.</summary>
    public static SigV4Credential Parse(string value, S3Error error)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(error);

        // The access key itself may not contain '/', so the last four parts are the scope.
        var parts = value.Split('/');
        if (parts.Length < 5 || parts[0].Length == 0)
        {
            throw new S3Exception(error, "The authorization header is malformed; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }

        var n = parts.Length;
        var ak = string.Join('/', parts, 0, n - 4);
        var date = parts[n - 4];
        var region = parts[n - 3];
        var service = parts[n - 2];
        var terminator = parts[n - 1];
        if (date.Length != 8 || !date.All(char.IsAsciiDigit))
        {
            throw new S3Exception(error, $"The authorization header is malformed; incorrect date format '{date}'. This date in the credential must be in the format \"yyyyMMdd\".");
        }

        if (region.Length == 0)
        {
            throw new S3Exception(error, "The authorization header is malformed; the region must not be empty.");
        }

        if (!string.Equals(service, "s3", StringComparison.Ordinal))
        {
            throw new S3Exception(error, $"The authorization header is malformed; incorrect service '{service}'. This endpoint belongs to 's3'.");
        }

        if (!string.Equals(terminator, "aws4_request", StringComparison.Ordinal))
        {
            throw new S3Exception(error, $"The authorization header is malformed; incorrect terminal '{terminator}'. This endpoint uses 'aws4_request'.");
        }

        return new SigV4Credential(ak, date, region, service);
    }
}
