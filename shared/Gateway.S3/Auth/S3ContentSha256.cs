using Gateway.S3.Errors;

namespace Gateway.S3.Auth;

/// <summary>Parses the <c>x-amz-content-sha256</c> header.</summary>
public static class S3ContentSha256
{
    /// <summary>Header name.</summary>
    public const string HeaderName = "x-amz-content-sha256";

    /// <summary>Literal for an unsigned single-chunk body.</summary>
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>Literal for signed aws-chunked bodies.</summary>
    public const string StreamingSigned = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";

    /// <summary>Literal for signed aws-chunked bodies with a signed trailer.</summary>
    public const string StreamingSignedTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";

    /// <summary>Literal for unsigned aws-chunked bodies with a trailer.</summary>
    public const string StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    /// <summary>SHA-256 of the empty string, hex.</summary>
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Classifies a header value; null/empty gives <see cref="S3PayloadMode.None"/>. Anything unknown is InvalidArgument.</summary>
    public static S3PayloadMode Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return S3PayloadMode.None;
        }

        return value switch
        {
            UnsignedPayload => S3PayloadMode.Unsigned,
            StreamingSigned => S3PayloadMode.StreamingSigned,
            StreamingSignedTrailer => S3PayloadMode.StreamingSignedTrailer,
            StreamingUnsignedTrailer => S3PayloadMode.StreamingUnsignedTrailer,
            "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD" or "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER" => S3PayloadMode.StreamingEcdsa,
            _ when IsSha256Hex(value) => S3PayloadMode.Sha256,
            _ => throw S3Exception.InvalidArgument(
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-UNSIGNED-PAYLOAD-TRAILER or a valid sha256 value.",
                HeaderName,
                value),
        };
    }

    /// <summary>True for 64 hexadecimal characters.</summary>
    public static bool IsSha256Hex(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length != 64)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for the aws-chunked modes.</summary>
    public static bool IsStreaming(S3PayloadMode mode) =>
        mode is S3PayloadMode.StreamingSigned or S3PayloadMode.StreamingSignedTrailer or S3PayloadMode.StreamingUnsignedTrailer or S3PayloadMode.StreamingEcdsa;
}
