using System.Numerics;
using CsCheck;
using Gateway.S3.Errors;
using Gateway.S3.Http;

namespace Gateway.S3.Tests.Fuzz;

/// <summary>
/// <see cref="ByteRange"/> against a model of RFC 9110 §14.1 single byte ranges as the gateway applies them (S3's
/// choices, kept from ByteRangeTests): a malformed or multi-range header is ignored (the whole object, 200); a range
/// is <c>first-last</c>, <c>first-</c> or <c>-suffix</c>, a last past the end is cut to the end, a first at or past the
/// end (or an empty object, or a zero suffix) is InvalidRange (416). Numbers of any size count by their value
/// (BigInteger in the model); white space around the parts is tolerated.
/// </summary>
public sealed class ByteRangeFuzz
{
    private static (long Start, long Length)? Model(string? header, long size, out bool unsatisfiable)
    {
        unsatisfiable = false;
        if (header is null)
        {
            return null;
        }

        var v = header.Trim();
        if (!v.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var spec = v[6..];
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || spec.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        BigInteger? Number(string s)
        {
            s = s.Trim();
            return s.Length > 0 && s.All(char.IsAsciiDigit) ? BigInteger.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;
        }

        var firstText = spec[..dash];
        var first = Number(firstText);
        var last = Number(spec[(dash + 1)..]);
        if (firstText.Trim().Length == 0)
        {
            if (last is not { } suffix)
            {
                return null;
            }

            if (suffix == 0 || size == 0)
            {
                unsatisfiable = true;
                return null;
            }

            var n = (long)BigInteger.Min(suffix, size);
            return (size - n, n);
        }

        if (first is not { } a || (spec[(dash + 1)..].Trim().Length > 0 && (last is not { } b0 || b0 < a)))
        {
            return null;
        }

        if (a >= size)
        {
            unsatisfiable = true;
            return null;
        }

        var end = last is { } b ? BigInteger.Min(b, size - 1) : size - 1;
        return ((long)a, (long)(end - a + 1));
    }

    private static readonly Gen<string> _number = Gen.Frequency(
        (4, Gen.Long[0, 120].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Long[0, long.MaxValue].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.String[Gen.Char['0', '9'], 19, 30]),
        (1, Gen.Const(string.Empty)),
        (1, Gen.OneOf("+1", "-1", "1.0", "0x1", "\u0661", "1e2")));

    private static readonly Gen<string> _space = Gen.OneOf(string.Empty, string.Empty, string.Empty, " ", "\t", "  ", "\u00a0");

    private static readonly Gen<string> _headers = Gen.Frequency(
        (8, from s1 in _space
            from unit in Gen.OneOf("bytes", "BYTES", "Bytes", "items", "byte", string.Empty)
            from eq in Gen.OneOf("=", "=", "=", " =", ":")
            from s2 in _space
            from first in _number
            from s3 in _space
            from dash in Gen.OneOf("-", "-", "-", "--", string.Empty, "\u2010")
            from s4 in _space
            from last in _number
            from more in Gen.OneOf(string.Empty, string.Empty, string.Empty, ",0-1", ",", "-", ";")
            select s1 + unit + eq + s2 + first + s3 + dash + s4 + last + more),
        (1, Gen.String[Gen.Char["bytes=-0123456789, "], 0, 16]),
        (1, Gen.String[Gen.Char[' ', '\u00ff'], 0, 16]));

    private static readonly Gen<long> _sizes = Gen.Frequency(
        (4, Gen.Long[0, 130]),
        (1, Gen.Long[0, long.MaxValue]),
        (1, Gen.OneOf(0L, 1L, long.MaxValue)));

    [Fact]
    public void Parse_MatchesModel() =>
        Gen.Select(_headers, _sizes).Sample(50_000, t =>
        {
            var (header, size) = t;
            var expected = Model(header, size, out var unsatisfiable);
            ByteRange? actual;
            try
            {
                actual = ByteRange.Parse(header, size);
            }
            catch (S3Exception e) when (unsatisfiable)
            {
                Assert.Same(S3Errors.InvalidRange, e.Error);
                Assert.Equal("bytes */" + size, e.Headers!["Content-Range"]);
                return;
            }

            Assert.False(unsatisfiable, $"'{header}' of {size} bytes should be InvalidRange, was {actual}");
            Assert.Equal(expected, actual is { } r ? (r.Start, r.Length) : null);
            if (actual is { } range)
            {
                Assert.Equal(size, range.TotalLength);
                Assert.InRange(range.End, range.Start, size - 1);
            }
        });

    /// <summary>
    /// Found by <see cref="Parse_MatchesModel"/>: a first byte past <see cref="long.MaxValue"/> was read as no number, so
    /// the header was ignored (200, whole object) where RFC 9110 and S3 answer 416; a last byte past it likewise turned
    /// a satisfiable range into the whole object.
    /// </summary>
    [Fact]
    public void Parse_NumbersPastInt64_CountByValue()
    {
        Assert.Same(S3Errors.InvalidRange, Assert.Throws<S3Exception>(() => ByteRange.Parse("bytes=2505941382041850552465500031-", 20)).Error);
        Assert.Equal(new ByteRange(5, 15, 20), ByteRange.Parse("bytes=5-99999999999999999999", 20));
        Assert.Equal(new ByteRange(0, 20, 20), ByteRange.Parse("bytes=-99999999999999999999", 20));
        Assert.Null(ByteRange.Parse("bytes=355034560550994337245761780150-647463740615865163122", 82));
        Assert.Same(S3Errors.InvalidRange, Assert.Throws<S3Exception>(() => ByteRange.ParseCopySourceRange("bytes=0-99999999999999999999", 20)).Error);
    }

    [Fact]
    public void ParseCopySourceRange_InRangeOrS3Error() =>
        Gen.Select(_headers, _sizes).Sample(20_000, t =>
        {
            var (header, size) = t;
            try
            {
                var r = ByteRange.ParseCopySourceRange(header, size);
                Assert.StartsWith("bytes=", header.Trim(), StringComparison.Ordinal);
                Assert.True(r.Start >= 0 && r.Length >= 1 && r.End < size, $"{r} from '{header}' of {size}");
            }
            catch (S3Exception e) when (e.Error == S3Errors.InvalidArgument || e.Error == S3Errors.InvalidRange)
            {
            }
        });
}
