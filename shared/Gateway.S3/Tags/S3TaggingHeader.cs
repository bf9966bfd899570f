using System.Globalization;
using System.Text;
using Gateway.S3.Errors;

namespace Gateway.S3.Tags;

/// <summary>
/// Reads the <c>x-amz-tagging</c> header: URL query parameters (<c>k1=v1&amp;k2=v2</c>) in form encoding, so
/// '+' is a space and <c>%XX</c> escapes are UTF-8 bytes. Empty pieces between '&amp;' are skipped and a key
/// without '=' has the empty value. Bad escapes, bad UTF-8, an empty key before '=', a second '=' in a pair
/// and a repeated key are InvalidArgument, as S3 answers them.
/// </summary>
internal static class S3TaggingHeader
{
    private const string _invalidMessage =
        "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Splits and decodes the header (no tag rules applied yet).</summary>
    public static List<S3Tag> Parse(string header)
    {
        var tags = new List<S3Tag>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in header.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq == 0 || (eq > 0 && pair.IndexOf('=', eq + 1) >= 0))
            {
                throw Invalid(header);
            }

            var key = Decode(eq < 0 ? pair : pair[..eq], header);
            var value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..], header);
            if (!keys.Add(key))
            {
                throw Invalid(header);
            }

            tags.Add(new S3Tag(key, value));
        }

        return tags;
    }

    private static string Decode(string text, string header)
    {
        if (text.AsSpan().IndexOfAny('%', '+') < 0)
        {
            return text;
        }

        try
        {
            // Every char becomes at most 3 UTF-8 bytes (a surrogate pair, 2 chars, becomes 4).
            var bytes = new byte[text.Length * 3];
            var count = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '%')
                {
                    if (i + 2 >= text.Length || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                    {
                        throw Invalid(header);
                    }

                    bytes[count++] = b;
                    i += 2;
                }
                else if (c == '+')
                {
                    bytes[count++] = (byte)' ';
                }
                else
                {
                    var length = char.IsSurrogatePair(text, i) ? 2 : 1;
                    count += _strictUtf8.GetBytes(text.AsSpan(i, length), bytes.AsSpan(count));
                    i += length - 1;
                }
            }

            return _strictUtf8.GetString(bytes, 0, count);
        }
        catch (ArgumentException)
        {
            // EncoderFallbackException / DecoderFallbackException: not UTF-8.
            throw Invalid(header);
        }
    }

    private static S3Exception Invalid(string header) =>
        S3Exception.InvalidArgument(_invalidMessage, S3TagSet.HeaderName, header);
}
