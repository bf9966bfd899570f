using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Gateway.Core.Naming;
using Gateway.S3.Errors;

namespace Gateway.Core.Tests.Fuzz;

/// <summary>
/// <see cref="BucketName"/> against a regular expression of the bucket grammar <c>[commit.][branch.]repo[.project]</c>
/// and <see cref="ObjectKey"/> against the key rules of docs/KEYS.md, on generated names and mutations of valid ones.
/// </summary>
public sealed partial class NamingFuzz
{
    private const string _commit = "0123456789ab4def0123456789abcdef";

    /// <summary>The grammar as the class documents it: each shape listed, so the regex has one reading of a name.</summary>
    [GeneratedRegex(
        """
        ^(?:(?<commit>[0-9a-f]{12}4[0-9a-f]{19})\.(?=.))?
         (?:
            (?<repo>[A-Za-z0-9_-]+)
          | (?<branch>[A-Za-z0-9_-]+)\.(?<repo>[A-Za-z0-9_-]+)
          | (?<branch>[A-Za-z0-9_-]+)\.(?<repo>[A-Za-z0-9_-]+)\.(?<project>[A-Za-z0-9][A-Za-z0-9_-]{0,50})
         )$
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture | RegexOptions.CultureInvariant)]
    private static partial Regex BucketGrammar();

    private static BucketAddress? ReferenceParse(string name)
    {
        var m = BucketGrammar().Match(name);
        if (!m.Success)
        {
            return null;
        }

        string? Group(string g) => m.Groups[g].Success ? m.Groups[g].Value : null;
        return new BucketAddress(Group("project") ?? "default", Group("repo")!, Group("branch") ?? "master", Group("commit"));
    }

    private static readonly Gen<string> _namePart = Gen.Frequency(
        (6, Gen.String[Gen.Char["abcXYZ019_-"], 1, 8]),
        (1, Gen.String[Gen.Char["ab_-"], 50, 54]),
        (1, Gen.Const(_commit)),
        (1, Gen.String[Gen.Char["0123456789abcdef4"], 32, 32]),
        (1, Gen.String[Gen.Char["ab. !/é:"], 0, 3]));

    private static readonly Gen<string> _bucketNames = Gen.Frequency(
        (8, _namePart.Array[1, 5].Select(parts => string.Join('.', parts))),
        (1, Gen.String[Gen.Char[' ', '\u00ff'], 0, 20]),
        (1, Gen.String[Gen.Char["a.-_4f"], 0, 12]));

    [Fact]
    public void BucketName_TryParse_MatchesGrammar() =>
        _bucketNames.Sample(20_000, name =>
        {
            var expected = ReferenceParse(name);
            var ok = BucketName.TryParse(name, out var address, out var reason);
            Assert.Equal(expected is not null, ok);
            Assert.Equal(expected, address);
            Assert.Equal(ok, reason is null);
        });

    /// <summary>One key character, heavy in the characters the rules are about.</summary>
    private static readonly Gen<string> _keyChar = Gen.Frequency(
        (6, Gen.Char["ab./ "].Select(c => c.ToString())),
        (2, KeyCodecFuzz.KeyChar),
        (1, Gen.Char['\0', '\u001f'].Select(c => c.ToString())));

    private static readonly Gen<string> _keys = Gen.Frequency(
        (9, _keyChar.Array[0, 12].Select(string.Concat)),
        (1, Gen.Int[1015, 1030].Select(n => new string('k', n))),
        (1, Gen.Int[335, 345].Select(n => string.Concat(Enumerable.Repeat("\u4e2d", n)))));

    [Fact]
    public void ObjectKey_Check_MatchesKeyRules() =>
        _keys.Sample(20_000, key =>
        {
            var expected = ReferenceCheck(key);
            var refused = ObjectKey.Check(key);
            Assert.Equal(expected?.Code, refused?.Error.Code);
            Assert.Equal(expected is null && !key.EndsWith('/'), ObjectKey.IsStorable(key));
            if (expected is null)
            {
                // An accepted key has a path pachd keeps as it is (no control characters, no '.' or '..' or empty
                // elements) and reads back as the key.
                var path = ObjectKey.ToPath(key);
                Assert.StartsWith("/", path, StringComparison.Ordinal);
                var elements = (key.EndsWith('/') ? path[1..^1] : path[1..]).Split('/');
                Assert.All(elements, e => Assert.False(e is "" or "." or "..", $"element '{e}' of {path}"));
                Assert.True(path.All(c => c is >= ' ' and <= '~'), path);
                Assert.Equal(key, ObjectKey.FromPath(path));
                Assert.Equal(path, ObjectKey.StoredPaths(key).First());
            }
        });

    /// <summary>docs/KEYS.md: empty, over 1,024 bytes, control characters, '.'/'..' elements, empty elements but the last.</summary>
    private static S3Error? ReferenceCheck(string key)
    {
        if (key.Length == 0)
        {
            return S3Errors.InvalidArgument;
        }

        if (Encoding.UTF8.GetByteCount(key) > 1024)
        {
            return S3Errors.KeyTooLongError;
        }

        var elements = key.Split('/');
        var bad = key.Any(c => c < ' ')
            || elements.Any(e => e is "." or "..")
            || elements.SkipLast(1).Any(e => e.Length == 0);
        return bad ? S3Errors.InvalidArgument : null;
    }
}
