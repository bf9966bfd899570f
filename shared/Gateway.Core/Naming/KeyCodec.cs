using System.Text;

namespace Gateway.Core.Naming;

/// <summary>
/// The reversible, order-preserving escape that maps any S3 key onto a path pachd accepts (docs/KEYS.md).
/// <para>
/// A key is read as UTF-8 bytes and each byte becomes a token: bytes pachd accepts (printable ASCII other than the
/// escape characters) stay one literal character; every other byte becomes an escape character followed by two
/// upper-case hex digits. Each escape character owns one contiguous range of byte values that contains itself and
/// no literal character, so the token set is prefix-free and monotone: comparing two encoded keys gives the same
/// answer as comparing the keys' UTF-8 bytes (S3's order), and a key prefix is an encoded prefix.
/// </para>
/// <code>
/// escape   range          examples
/// "        0x21-0x22      !  -> "21          (metadata paths: 0x20-0x22, so a space -> "20)
/// '        0x27-0x2B      (  -> '28   +  -> '2B   '  -> '27
/// &gt;        0x3E-0x40      @  -> &gt;40   ?  -> &gt;3F
/// \        0x5B-0x5E      [  -> \5B   ]  -> \5D
/// |        0x7B-0x7D      {  -> |7B   }  -> |7D
/// ~        0x7E-0xFF      é  -> ~C3~A9   ~  -> ~7E
/// </code>
/// Bytes 0x00-0x1F (control characters) have no token: keys holding them are refused before encoding.
/// </summary>
internal static class KeyCodec
{
    private static readonly (char Escape, byte Low, byte High)[] _dataRanges =
    [
        ('"', 0x21, 0x22), ('\'', 0x27, 0x2B), ('>', 0x3E, 0x40), ('\\', 0x5B, 0x5E), ('|', 0x7B, 0x7D), ('~', 0x7E, 0xFF),
    ];

    private static readonly (char Escape, byte Low, byte High)[] _indexRanges = [('"', 0x20, 0x22), .. _dataRanges[1..]];

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly string?[] _dataTokens = Tokens(_dataRanges);
    private static readonly string?[] _indexTokens = Tokens(_indexRanges);

    /// <summary>
    /// The pachd path form of <paramref name="key"/> (no leading '/'): keys of characters pachd accepts, other than
    /// the escape characters <c>" ' &gt; \ | ~</c>, are unchanged. The key must hold no control character.
    /// </summary>
    public static string Encode(string key) => Encode(key, _dataTokens);

    /// <summary>
    /// Like <see cref="Encode(string)"/> but with the space escaped too, so that a space appended to an encoded key
    /// sorts before every continuation of it: the form the gateway's own index paths use.
    /// </summary>
    public static string EncodeForIndex(string key) => Encode(key, _indexTokens);

    /// <summary>
    /// The key a stored path stands for. An escape character not followed by a token of its range is a literal
    /// character (so names written by other means read back as written); a byte sequence that is not UTF-8 leaves
    /// the whole name literal.
    /// </summary>
    public static string Decode(string encoded) => Decode(encoded, _dataRanges);

    /// <summary>The inverse of <see cref="EncodeForIndex"/>.</summary>
    public static string DecodeIndex(string encoded) => Decode(encoded, _indexRanges);

    private static string Decode(string encoded, (char Escape, byte Low, byte High)[] ranges)
    {
        if (encoded.AsSpan().IndexOfAny("\"'>\\|~") < 0)
        {
            return encoded;
        }

        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (i + 2 < encoded.Length && TryToken(ranges, c, encoded[i + 1], encoded[i + 2], out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                // A character the encoder never writes (a name written by other means) stands for its own UTF-8 bytes.
                var width = char.IsSurrogatePair(encoded, i) ? 2 : 1;
                try
                {
                    bytes.AddRange(_strictUtf8.GetBytes(encoded, i, width));
                }
                catch (EncoderFallbackException)
                {
                    return encoded;
                }

                i += width - 1;
            }
        }

        try
        {
            return _strictUtf8.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return encoded;
        }
    }

    private static bool TryToken((char Escape, byte Low, byte High)[] ranges, char escape, char high, char low, out byte value)
    {
        value = 0;
        var range = Array.FindIndex(ranges, r => r.Escape == escape);
        if (range < 0 || !IsHex(high) || !IsHex(low))
        {
            return false;
        }

        value = (byte)((HexValue(high) << 4) | HexValue(low));
        return value >= ranges[range].Low && value <= ranges[range].High;
    }

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'A' and <= 'F');

    private static int HexValue(char c) => c <= '9' ? c - '0' : c - 'A' + 10;

    private static string Encode(string key, string?[] tokens)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        var sb = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            sb.Append(tokens[b] ?? throw new ArgumentException("A key with control characters has no pachd path.", nameof(key)));
        }

        return sb.ToString();
    }

    private static string?[] Tokens((char Escape, byte Low, byte High)[] ranges)
    {
        var tokens = new string?[256];
        for (var b = 0x20; b <= 0xFF; b++)
        {
            tokens[b] = ((char)b).ToString();
        }

        foreach (var (escape, low, high) in ranges)
        {
            for (var b = (int)low; b <= high; b++)
            {
                tokens[b] = escape + ((byte)b).ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return tokens;
    }
}
