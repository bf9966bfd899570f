using System.Text;
using Gateway.Core.Naming;

namespace Gateway.Core.Tests.Naming;

public sealed class KeyCodecTests
{
    private const string _pachdRefused = "*?[]{}!()@+^";

    /// <summary>Random keys drawn to hit every token range: escapes, their neighbours, ASCII, multi-byte UTF-8.</summary>
    private static List<string> RandomKeys(int seed, int count)
    {
        var random = new Random(seed);
        const string tricky = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ aAzZ09";
        string[] wide = ["é", "ü", "ß", "€", "中", "😀", "\u007f", "\u00a0", "\uffff", "\U0001F600", "Å", "Å"];
        var keys = new List<string>(count);
        for (var n = 0; n < count; n++)
        {
            var sb = new StringBuilder();
            var length = random.Next(1, 12);
            for (var i = 0; i < length; i++)
            {
                var pick = random.Next(10);
                sb.Append(pick switch
                {
                    < 6 => tricky[random.Next(tricky.Length)].ToString(),
                    < 8 => wide[random.Next(wide.Length)],
                    _ => ((char)random.Next(0x20, 0x7F)).ToString(),
                });
            }

            keys.Add(sb.ToString());
        }

        return keys;
    }

    private static int Utf8Order(string a, string b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    [Fact]
    public void Encode_20000RandomKeys_RoundTripsAndKeepsS3Order()
    {
        var keys = RandomKeys(seed: 20261202, count: 20_000);

        foreach (var key in keys)
        {
            Assert.Equal(key, KeyCodec.Decode(KeyCodec.Encode(key)));
            Assert.Equal(key, KeyCodec.DecodeIndex(KeyCodec.EncodeForIndex(key)));
        }

        var byKey = keys.Distinct().Order(Comparer<string>.Create(Utf8Order)).ToList();
        Assert.Equal(byKey, byKey.OrderBy(KeyCodec.Encode, StringComparer.Ordinal));
        Assert.Equal(byKey, byKey.OrderBy(KeyCodec.EncodeForIndex, StringComparer.Ordinal));
    }

    [Fact]
    public void Encode_RandomKeyPairs_PrefixOfKeyIsPrefixOfEncoding()
    {
        foreach (var key in RandomKeys(seed: 7, count: 2_000))
        {
            var encoded = KeyCodec.Encode(key);
            for (var cut = 0; cut <= key.Length; cut++)
            {
                if (cut > 0 && char.IsHighSurrogate(key[cut - 1]))
                {
                    continue;
                }

                Assert.StartsWith(KeyCodec.Encode(key[..cut]), encoded, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Encode_EveryByte_OnlyCharactersPachdWrites()
    {
        var all = string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c)) + "é😀\u007f";

        foreach (var encoded in new[] { KeyCodec.Encode(all), KeyCodec.EncodeForIndex(all) })
        {
            Assert.All(encoded, c => Assert.True(c is >= ' ' and <= '~' && !_pachdRefused.Contains(c, StringComparison.Ordinal), $"'{c}'"));
        }

        Assert.DoesNotContain(' ', KeyCodec.EncodeForIndex(all));
    }

    [Theory]
    [InlineData("plus+sign=eq.txt", "plus'2Bsign=eq.txt")]
    [InlineData("photo (1).jpg", "photo '281'29.jpg")]
    [InlineData("mail@host.txt", "mail>40host.txt")]
    [InlineData("wow!.md", "wow\"21.md")]
    [InlineData("a[b]^c", "a\\5Bb\\5D\\5Ec")]
    [InlineData("{x}", "|7Bx|7D")]
    [InlineData("~", "~7E")]
    [InlineData("plain-name_1.csv", "plain-name_1.csv")]
    public void Encode_Examples(string key, string encoded) => Assert.Equal(encoded, KeyCodec.Encode(key));

    [Theory]
    [InlineData("it's.txt")]
    [InlineData("~~")]
    [InlineData("a\"2")]
    [InlineData("x>4")]
    [InlineData("'ZZ")]
    public void Decode_EscapeCharacterWithoutAToken_StaysLiteral(string stored) => Assert.Equal(stored, KeyCodec.Decode(stored));

    [Fact]
    public void Decode_IndexSpaceTokenIsNotADataToken() => Assert.Equal("a\"20b", KeyCodec.Decode("a\"20b"));
}
