using System.Buffers;
using System.Text;
using Gateway.S3.Errors;

namespace Gateway.S3.Routing;

/// <summary>
/// Percent-decoding and S3/SigV4 percent-encoding. Decoding happens exactly once, as UTF-8, and
/// treats '+' as a literal '+' (S3 paths never use form encoding). Encoding keeps only the
/// unreserved set <c>A-Za-z0-9-._~</c> (plus '/' when asked) and writes upper-case hex.
/// </summary>
public static class S3UriEncoding
{
    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private const string _hexUpper = "0123456789ABCDEF";

    /// <summary>
    /// Decodes %XX escapes once and interprets the bytes as UTF-8. A '%' not followed by two hex
    /// digits is kept literally. Invalid UTF-8 gives <see cref="S3Errors.InvalidUri"/>.
    /// </summary>
    public static string Decode(ReadOnlySpan<char> value)
    {
        if (value.IndexOf('%') < 0)
        {
            return value.ToString();
        }

        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var count = 0;
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
                {
                    rented[count++] = (byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2]));
                    i += 2;
                }
                else if (char.IsHighSurrogate(c) && i + 1 < value.Length)
                {
                    count += Encoding.UTF8.GetBytes(value.Slice(i, 2), rented.AsSpan(count));
                    i++;
                }
                else if (c < 0x80)
                {
                    rented[count++] = (byte)c;
                }
                else
                {
                    count += Encoding.UTF8.GetBytes(value.Slice(i, 1), rented.AsSpan(count));
                }
            }

            try
            {
                return _strictUtf8.GetString(rented, 0, count);
            }
            catch (DecoderFallbackException ex)
            {
                throw new S3Exception(S3Errors.InvalidUri, innerException: ex);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Encodes every UTF-8 byte outside <c>A-Za-z0-9-._~</c> as %XX with upper-case hex; '/' is
    /// kept when <paramref name="keepSlash"/> is true (canonical URI) and encoded otherwise (query).
    /// </summary>
    public static string Encode(string value, bool keepSlash)
    {
        ArgumentNullException.ThrowIfNull(value);
        var needs = false;
        foreach (var c in value)
        {
            if (!IsUnreserved(c) && !(keepSlash && c == '/'))
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return value;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            var n = Encoding.UTF8.GetBytes(value, bytes);
            var sb = new StringBuilder(n * 3);
            for (var i = 0; i < n; i++)
            {
                var b = bytes[i];
                if (IsUnreserved((char)b) || (keepSlash && b == '/'))
                {
                    sb.Append((char)b);
                }
                else
                {
                    sb.Append('%').Append(_hexUpper[b >> 4]).Append(_hexUpper[b & 0xF]);
                }
            }

            return sb.ToString();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>True for the RFC 3986 unreserved characters.</summary>
    public static bool IsUnreserved(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => c - 'A' + 10,
    };
}
