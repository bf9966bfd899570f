using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.S3.Tests.Fuzz;

/// <summary>
/// A client-side signer written from AWS's documents (SigV4 "Create a canonical request" for S3, SigV2 "Signing and
/// authenticating REST requests"), independent of the gateway's SigV4Signer and SigV2Signer: the oracle the
/// authenticator's properties sign with.
/// </summary>
internal static class ReferenceSigner
{
    public static string UriEncode(string value, bool keepSlash)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' || (keepSlash && c == '/'))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>SigV4: header values trimmed with inner runs of white space made one space, several values joined by ','.</summary>
    public static string CanonicalValue(IEnumerable<string> values) =>
        string.Join(',', values.Select(v => string.Join(' ', v.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))));

    public static string SignV4(
        string secret,
        string scope,
        string amzDate,
        string method,
        string key,
        IEnumerable<(string Name, string Value)> query,
        IEnumerable<(string Name, string[] Values)> signedHeaders,
        string payloadHash)
    {
        var canonicalQuery = string.Join('&', query
            .Select(p => (Name: UriEncode(p.Name, false), Value: UriEncode(p.Value, false)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
        var headers = signedHeaders.OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        var canonical = new StringBuilder()
            .Append(method).Append('\n')
            .Append(UriEncode(key, keepSlash: true)).Append('\n')
            .Append(canonicalQuery).Append('\n');
        foreach (var (name, values) in headers)
        {
            canonical.Append(name).Append(':').Append(CanonicalValue(values)).Append('\n');
        }

        canonical.Append('\n').Append(string.Join(';', headers.Select(h => h.Name))).Append('\n').Append(payloadHash);
        var stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        var parts = scope.Split('/');
        var k = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in parts)
        {
            k = HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(part));
        }

        return Hex(HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>
    /// SigV2: verb, Content-MD5, Content-Type, date line, x-amz-* headers (names lower case, sorted; each value trimmed,
    /// nothing else: runs of spaces inside stay, as botocore's HmacV1Auth and s3cmd send them; several values joined by
    /// ','), resource.
    /// </summary>
    public static string SignV2(string secret, string method, string contentMd5, string contentType, string dateLine, IEnumerable<(string Name, string[] Values)> amzHeaders, string resource)
    {
        var sb = new StringBuilder().Append(method).Append('\n').Append(contentMd5.Trim()).Append('\n').Append(contentType.Trim()).Append('\n').Append(dateLine).Append('\n');
        foreach (var (name, values) in amzHeaders.Select(h => (Name: h.Name.ToLowerInvariant(), h.Values)).OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            sb.Append(name).Append(':').Append(string.Join(',', values.Select(v => v.Trim()))).Append('\n');
        }

        sb.Append(resource);
#pragma warning disable CA5350 // SigV2 is HMAC-SHA1 by definition.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(sb.ToString())));
#pragma warning restore CA5350
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
