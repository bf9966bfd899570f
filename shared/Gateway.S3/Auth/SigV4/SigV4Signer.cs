using System.Security.Cryptography;
using System.Text;
using Gateway.S3.Routing;

namespace Gateway.S3.Auth.SigV4;

/// <summary>
/// The SigV4 algorithm as S3 defines it: canonical request (no path normalisation, no double
/// encoding), string to sign, signing key and signature. Pure functions, shared by header and
/// query authentication and by aws-chunked verification.
/// </summary>
public static class SigV4Signer
{
    /// <summary>Canonical URI: the raw path decoded once and re-encoded byte by byte, '/' kept.</summary>
    public static string CanonicalUri(string rawPath)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        if (rawPath.Length == 0)
        {
            return "/";
        }

        return S3UriEncoding.Encode(S3UriEncoding.Decode(rawPath), keepSlash: true);
    }

    /// <summary>
    /// Alternative canonical URI for clients that percent-encode '/' inside a key (<c>%2F</c>) and
    /// sign the path as sent: each '/'-separated segment of the raw path is decoded once and
    /// re-encoded on its own, so an encoded slash stays <c>%2F</c>. Null when the raw path holds no
    /// encoded slash (the result would equal <see cref="CanonicalUri"/>).
    /// </summary>
    public static string? CanonicalUriKeepingEncodedSlashes(string rawPath)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        if (rawPath.IndexOf("%2F", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return null;
        }

        var segments = rawPath.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = S3UriEncoding.Encode(S3UriEncoding.Decode(segments[i]), keepSlash: false);
        }

        return string.Join('/', segments);
    }

    /// <summary>
    /// Canonical query: each name and value decoded once and re-encoded, sorted by name then value,
    /// '=' always present. Parameters named in <paramref name="exclude"/> (e.g. X-Amz-Signature) are left out.
    /// <paramref name="rawQuery"/> is the query as it follows the target's '?' (<see cref="S3RequestTarget.RawQuery"/>):
    /// a '?' it starts with belongs to the first name.
    /// </summary>
    public static string CanonicalQuery(string rawQuery, string? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(rawQuery);
        var query = S3Query.ParseRaw(rawQuery);
        if (query.Count == 0)
        {
            return string.Empty;
        }

        var pairs = new List<(string Name, string Value)>(query.Count);
        foreach (var p in query)
        {
            if (exclude is not null && string.Equals(p.Name, exclude, StringComparison.Ordinal))
            {
                continue;
            }

            pairs.Add((S3UriEncoding.Encode(p.Name, keepSlash: false), S3UriEncoding.Encode(p.Value, keepSlash: false)));
        }

        pairs.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Name, b.Name);
            return c != 0 ? c : string.CompareOrdinal(a.Value, b.Value);
        });

        var sb = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }

            sb.Append(name).Append('=').Append(value);
        }

        return sb.ToString();
    }

    /// <summary>A canonical header value: trimmed, runs of spaces/tabs collapsed into one space.</summary>
    public static string CanonicalHeaderValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var span = value.AsSpan().Trim();
        var sb = new StringBuilder(span.Length);
        var lastWasSpace = false;
        foreach (var c in span)
        {
            if (c is ' ' or '\t')
            {
                if (!lastWasSpace)
                {
                    sb.Append(' ');
                }

                lastWasSpace = true;
            }
            else
            {
                sb.Append(c);
                lastWasSpace = false;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Builds the canonical request. <paramref name="getHeader"/> returns the (comma-joined) value of
    /// a lower-case header name, or null when absent (signed as empty).
    /// </summary>
    public static string CanonicalRequest(
        string method,
        string canonicalUri,
        string canonicalQuery,
        IReadOnlyList<string> signedHeaders,
        Func<string, string?> getHeader,
        string payloadHash)
    {
        ArgumentNullException.ThrowIfNull(signedHeaders);
        ArgumentNullException.ThrowIfNull(getHeader);
        var sorted = signedHeaders.Order(StringComparer.Ordinal).ToArray();
        var sb = new StringBuilder(256);
        sb.Append(method).Append('\n')
          .Append(canonicalUri).Append('\n')
          .Append(canonicalQuery).Append('\n');
        foreach (var name in sorted)
        {
            sb.Append(name).Append(':').Append(CanonicalHeaderValue(getHeader(name) ?? string.Empty)).Append('\n');
        }

        sb.Append('\n').Append(string.Join(';', sorted)).Append('\n').Append(payloadHash);
        return sb.ToString();
    }

    /// <summary>The string to sign for a canonical request.</summary>
    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{SigV4AuthorizationHeader.Algorithm}\n{amzDate}\n{scope}\n{Sha256Hex(canonicalRequest)}";

    /// <summary>Derives the signing key: HMAC chain over date, region, service and "aws4_request".</summary>
    public static byte[] SigningKey(string secretKey, string date, string region, string service)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        var kDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
        var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(kService, "aws4_request"u8);
    }

    /// <summary>Lower-case hex HMAC-SHA256 of <paramref name="stringToSign"/>.</summary>
    public static string Signature(ReadOnlySpan<byte> signingKey, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>Lower-case hex SHA-256 of a UTF-8 string.</summary>
    public static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>Constant-time comparison of two hex signatures.</summary>
    public static bool SignaturesEqual(string expected, string provided)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(provided);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(provided));
    }
}
