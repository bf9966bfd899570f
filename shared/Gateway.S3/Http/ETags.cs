using System.Globalization;
using System.Security.Cryptography;

namespace Gateway.S3.Http;

/// <summary>ETag quoting, comparison and S3's MD5-based ETags.</summary>
public static class ETags
{
    /// <summary>Returns the ETag in double quotes (adds them when missing; keeps a W/ prefix).</summary>
    public static string Quote(string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        if (etag.StartsWith("W/\"", StringComparison.Ordinal) || (etag.Length >= 2 && etag[0] == '"' && etag[^1] == '"'))
        {
            return etag;
        }

        return "\"" + etag + "\"";
    }

    /// <summary>Removes surrounding quotes and a weak prefix: <c>W/"abc"</c> → <c>abc</c>.</summary>
    public static string Unquote(string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        var s = etag.Trim();
        if (s.StartsWith("W/", StringComparison.Ordinal))
        {
            s = s[2..];
        }

        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"')
        {
            s = s[1..^1];
        }

        return s;
    }

    /// <summary>Compares two ETags ignoring quotes and weakness (S3 ETags are opaque strings).</summary>
    public static bool AreEqual(string? a, string? b) =>
        a is not null && b is not null && string.Equals(Unquote(a), Unquote(b), StringComparison.Ordinal);

    /// <summary>
    /// True when an If-Match / If-None-Match header value (comma-separated list, or <c>*</c>) matches
    /// <paramref name="etag"/>. Unquoted values are accepted, as some clients (pyspark) send them.
    /// </summary>
    public static bool ListMatches(string headerValue, string etag)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        foreach (var part in headerValue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part == "*" || AreEqual(part, etag))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Length of an MD5 digest in bytes.</summary>
    public const int Md5Length = 16;

    /// <summary>A single-part object's ETag: its MD5 as quoted lower-case hex, <c>"d41d8cd98f00b204e9800998ecf8427e"</c>.</summary>
    public static string FromMd5(ReadOnlySpan<byte> md5)
    {
        if (md5.Length != Md5Length)
        {
            throw new ArgumentException("An MD5 digest has 16 bytes.", nameof(md5));
        }

        return "\"" + Convert.ToHexStringLower(md5) + "\"";
    }

    /// <summary>
    /// A multipart object's ETag: the MD5 of the parts' binary MD5 digests concatenated in part order, as
    /// lower-case hex, then <c>-N</c> for N parts, quoted: <c>"0239a86b5266bb624f0ac60ba2aed6c8-2"</c>.
    /// </summary>
    public static string MultipartFromMd5s(IReadOnlyList<byte[]> partMd5s)
    {
        ArgumentNullException.ThrowIfNull(partMd5s);
        if (partMd5s.Count == 0)
        {
            throw new ArgumentException("A multipart object has at least one part.", nameof(partMd5s));
        }

        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var part in partMd5s)
        {
            if (part is null || part.Length != Md5Length)
            {
                throw new ArgumentException("Every part MD5 digest has 16 bytes.", nameof(partMd5s));
            }

            md5.AppendData(part);
        }

        return "\"" + Convert.ToHexStringLower(md5.GetHashAndReset()) + "-" + partMd5s.Count.ToString(CultureInfo.InvariantCulture) + "\"";
    }

    /// <summary>
    /// The MD5 a single-part ETag stands for (32 hex digits, quoted or not); null for any other ETag (a multipart
    /// <c>-N</c> ETag, or one that is not an MD5).
    /// </summary>
    public static byte[]? TryParseMd5(string? etag)
    {
        var hex = etag is null ? string.Empty : Unquote(etag);
        var digest = new byte[Md5Length];
        return hex.Length == 2 * Md5Length
            && Convert.FromHexString(hex, digest, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == Md5Length ? digest : null;
    }
}
