using System.Buffers;
using System.Runtime.InteropServices;
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
        if (IsCanonicalHeaderValue(value))
        {
            return value;
        }

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

    /// <summary>True when <paramref name="value"/> is its own canonical form (most are): no tab, no two spaces, nothing to trim.</summary>
    private static bool IsCanonicalHeaderValue(string value) =>
        value.Length == 0
        || (!char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1])
            && !value.Contains('\t', StringComparison.Ordinal) && !value.Contains("  ", StringComparison.Ordinal));

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
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(canonicalUri);
        ArgumentNullException.ThrowIfNull(canonicalQuery);
        ArgumentNullException.ThrowIfNull(payloadHash);

        // Clients send SignedHeaders sorted already (SigV4 requires it): then the list is used as it is.
        var sorted = IsSorted(signedHeaders) ? signedHeaders : signedHeaders.Order(StringComparer.Ordinal).ToArray();
        var values = new string[sorted.Count];
        var length = method.Length + canonicalUri.Length + canonicalQuery.Length + payloadHash.Length + 5;
        for (var i = 0; i < sorted.Count; i++)
        {
            values[i] = CanonicalHeaderValue(getHeader(sorted[i]) ?? string.Empty);
            length += (2 * sorted[i].Length) + values[i].Length + 3;
        }

        var sb = new StringBuilder(length);
        sb.Append(method).Append('\n')
          .Append(canonicalUri).Append('\n')
          .Append(canonicalQuery).Append('\n');
        for (var i = 0; i < sorted.Count; i++)
        {
            sb.Append(sorted[i]).Append(':').Append(values[i]).Append('\n');
        }

        sb.Append('\n');
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(';');
            }

            sb.Append(sorted[i]);
        }

        sb.Append('\n').Append(payloadHash);
        return sb.ToString();
    }

    private static bool IsSorted(IReadOnlyList<string> names)
    {
        for (var i = 1; i < names.Count; i++)
        {
            if (string.CompareOrdinal(names[i - 1], names[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The string to sign for a canonical request.</summary>
    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{SigV4AuthorizationHeader.Algorithm}\n{amzDate}\n{scope}\n{Sha256Hex(canonicalRequest)}";

    /// <summary>Derives the signing key: HMAC chain over date, region, service and "aws4_request".</summary>
    public static byte[] SigningKey(string secretKey, string date, string region, string service)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        Span<byte> kDate = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> kRegion = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> kService = stackalloc byte[HMACSHA256.HashSizeInBytes];
        WithUtf8(date, Encoding.UTF8.GetBytes("AWS4" + secretKey), kDate, static (text, key, hash) => HMACSHA256.HashData(key, text, hash));
        WithUtf8(region, kDate, kRegion, static (text, key, hash) => HMACSHA256.HashData(key, text, hash));
        WithUtf8(service, kRegion, kService, static (text, key, hash) => HMACSHA256.HashData(key, text, hash));
        return HMACSHA256.HashData(kService, "aws4_request"u8);
    }

    /// <summary>Lower-case hex HMAC-SHA256 of <paramref name="stringToSign"/>.</summary>
    public static string Signature(ReadOnlySpan<byte> signingKey, string stringToSign)
    {
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        WithUtf8(stringToSign, signingKey, hash, static (text, key, destination) => HMACSHA256.HashData(key, text, destination));
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Lower-case hex SHA-256 of a UTF-8 string.</summary>
    public static string Sha256Hex(string value)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        WithUtf8(value, default, hash, static (text, _, destination) => SHA256.HashData(text, destination));
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Constant-time comparison of two hex signatures.</summary>
    public static bool SignaturesEqual(string expected, string provided)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(provided);
        // As ASCII bytes compared before: a non-ASCII character (never in a hex signature) can match nothing.
        return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected.AsSpan()), MemoryMarshal.AsBytes(provided.AsSpan()));
    }

    private delegate int Utf8Operation(ReadOnlySpan<byte> text, ReadOnlySpan<byte> key, Span<byte> destination);

    /// <summary>Runs <paramref name="operation"/> on the UTF-8 bytes of <paramref name="text"/>, in a stack or pooled buffer.</summary>
    private static void WithUtf8(string text, ReadOnlySpan<byte> key, Span<byte> destination, Utf8Operation operation)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        byte[]? rented = null;
        var buffer = length <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(text, buffer);
            operation(buffer[..written], key, destination);
        }
        finally
        {
            if (rented is not null)
            {
                CryptographicOperations.ZeroMemory(rented);
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
