using System.Text;
using CsCheck;
using Gateway.Core.Naming;

namespace Gateway.Core.Tests.Fuzz;

/// <summary>
/// Properties of <see cref="KeyCodec"/> and <see cref="ObjectKey"/> against docs/KEYS.md: any key without control
/// characters up to 1,024 UTF-8 bytes round-trips; encoded paths hold only characters pachd accepts; encoding keeps
/// S3's order (UTF-8 bytes) and prefixes; decoding any stored name follows the documented token rule.
/// </summary>
public sealed class KeyCodecFuzz
{
    private const string _pachdRefused = "*?[]{}!()@+^";
    private const string _escapes = "\"'>\\|~";
    private static readonly UTF8Encoding _strictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>One character of a key, weighted towards the escapes, their neighbours and multi-byte UTF-8.</summary>
    internal static readonly Gen<string> KeyChar = Gen.Frequency(
        (6, Gen.Char[' ', '~'].Select(c => c.ToString())),
        (3, Gen.Char["\"'>\\|~!*?[]{}()@+^ ./-_#%&,:;<=`"].Select(c => c.ToString())),
        (2, Gen.Char['\u007f', '\u07ff'].Select(c => c.ToString())),
        (1, Gen.Char['\u0800', '\ud7ff'].Select(c => c.ToString())),
        (1, Gen.Char['\ue000', '\uffff'].Select(c => c.ToString())),
        (1, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)));

    /// <summary>Keys of 0 to 1,024 UTF-8 bytes without control characters (mostly short, sometimes at the limit).</summary>
    internal static readonly Gen<string> Key = Gen.Frequency(
        (8, KeyChar.Array[0, 24]),
        (1, KeyChar.Array[200, 1024])).Select(Truncate);

    private static string Truncate(string[] chars)
    {
        var sb = new StringBuilder();
        var bytes = 0;
        foreach (var c in chars)
        {
            bytes += Encoding.UTF8.GetByteCount(c);
            if (bytes > ObjectKey.MaxKeyBytes)
            {
                break;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static int Utf8Compare(string a, string b) =>
        Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));

    [Fact]
    public void EncodeDecode_RoundTrips() =>
        Key.Sample(10_000, key =>
        {
            Assert.Equal(key, KeyCodec.Decode(KeyCodec.Encode(key)));
            Assert.Equal(key, KeyCodec.DecodeIndex(KeyCodec.EncodeForIndex(key)));
        });

    [Fact]
    public void Encode_OnlyCharactersPachdAccepts_LiteralWhereAllowed() =>
        Key.Sample(10_000, key =>
        {
            var encoded = KeyCodec.Encode(key);
            foreach (var c in encoded)
            {
                Assert.True(c is >= ' ' and <= '~' && !_pachdRefused.Contains(c, StringComparison.Ordinal), $"'{c}' in {encoded}");
            }

            // Keys of characters pachd accepts, other than the escapes, are their own path.
            var literal = key.All(c => c is >= ' ' and < '~' && !_pachdRefused.Contains(c, StringComparison.Ordinal) && !_escapes.Contains(c, StringComparison.Ordinal));
            Assert.Equal(literal, encoded == key);
            Assert.DoesNotContain(' ', KeyCodec.EncodeForIndex(key));
        });

    [Fact]
    public void Encode_KeepsUtf8OrderAndPrefixes() =>
        Gen.Select(Key, Key, Gen.Bool).Sample(20_000, t =>
        {
            var (a, b, sharePrefix) = t;
            if (sharePrefix)
            {
                b = a + b;
            }

            foreach (var encode in new Func<string, string>[] { KeyCodec.Encode, KeyCodec.EncodeForIndex })
            {
                Assert.Equal(Utf8Compare(a, b), Math.Sign(string.CompareOrdinal(encode(a), encode(b))));
                var isPrefix = Encoding.UTF8.GetBytes(b).AsSpan().StartsWith(Encoding.UTF8.GetBytes(a));
                Assert.Equal(isPrefix, encode(b).StartsWith(encode(a), StringComparison.Ordinal));
            }

            // The index form: a space after a key sorts before every continuation of it.
            if (b.Length > a.Length && b.StartsWith(a, StringComparison.Ordinal))
            {
                Assert.True(string.CompareOrdinal(KeyCodec.EncodeForIndex(a) + " ", KeyCodec.EncodeForIndex(b)) < 0);
            }
        });

    [Fact]
    public void Encode_ControlCharacter_ArgumentException() =>
        Gen.Select(Key, Gen.Char['\0', '\u001f'], Gen.Int[0, 100]).Sample(2_000, t =>
        {
            var (key, control, at) = t;
            var withControl = key.Insert(Math.Min(at, key.Length) - (at < key.Length && char.IsLowSurrogate(key[at]) ? 1 : 0), control.ToString());
            Assert.Throws<ArgumentException>(() => KeyCodec.Encode(withControl));
        });

    /// <summary>Stored names: printable ASCII heavy in escapes and hex digits (so tokens occur), sometimes anything.</summary>
    private static readonly Gen<string> _storedName = Gen.Frequency(
        (4, Gen.String[Gen.Char["\"'>\\|~0123456789ABCDEFabcdef2!x/ "], 0, 16]),
        (2, Gen.String[Gen.Char[' ', '~'], 0, 16]),
        (1, Gen.String[Gen.Char["\"'>\\|~0123456789ABCDEF\u00e9\u4e2d\u0101\ud83d\ude00"], 0, 16]),
        (1, Key.Select(KeyCodec.Encode)));

    [Fact]
    public void Decode_AnyName_MatchesTokenRule() =>
        _storedName.Sample(20_000, name =>
        {
            Assert.Equal(ReferenceDecode(name, "\"'>\\|~", [(0x21, 0x22), (0x27, 0x2B), (0x3E, 0x40), (0x5B, 0x5E), (0x7B, 0x7D), (0x7E, 0xFF)]), KeyCodec.Decode(name));
            Assert.Equal(ReferenceDecode(name, "\"'>\\|~", [(0x20, 0x22), (0x27, 0x2B), (0x3E, 0x40), (0x5B, 0x5E), (0x7B, 0x7D), (0x7E, 0xFF)]), KeyCodec.DecodeIndex(name));
        });

    /// <summary>
    /// Found by <see cref="Decode_AnyName_MatchesTokenRule"/>: a name holding an escape character that starts no token
    /// and a non-ASCII character (U+4E2D, cut to its low byte 0x2D) decoded to another name ("-\"") instead of itself.
    /// </summary>
    [Fact]
    public void Decode_NonAsciiNameWithLiteralEscape_ReadsBackAsWritten()
    {
        Assert.Equal("\u4e2d\"", KeyCodec.Decode("\u4e2d\""));
        Assert.Equal("\u0101~", KeyCodec.Decode("\u0101~"));
        Assert.Equal("caf\u00e9 'x", KeyCodec.Decode("caf\u00e9 '27x"));
    }

    /// <summary>
    /// docs/KEYS.md's rule: an escape character and two upper-case hex digits of a byte in its range is that byte,
    /// anything else is the character itself (its UTF-8 bytes); bytes that are not UTF-8 leave the name as it is.
    /// </summary>
    private static string ReferenceDecode(string name, string escapes, (int Low, int High)[] ranges)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < name.Length; i++)
        {
            var range = escapes.IndexOf(name[i], StringComparison.Ordinal);
            if (range >= 0 && i + 2 < name.Length && Uri.IsHexDigit(name[i + 1]) && Uri.IsHexDigit(name[i + 2])
                && !char.IsLower(name[i + 1]) && !char.IsLower(name[i + 2])
                && Convert.ToByte(name.Substring(i + 1, 2), 16) is var b && b >= ranges[range].Low && b <= ranges[range].High)
            {
                bytes.Add(b);
                i += 2;
                continue;
            }

            var width = char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]) ? 2 : 1;
            if (width == 1 && char.IsSurrogate(name[i]))
            {
                return name;
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(name.Substring(i, width)));
            i += width - 1;
        }

        try
        {
            return _strictUtf8.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return name;
        }
    }
}
