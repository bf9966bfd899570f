using System.Globalization;
using Gateway.S3.Errors;

namespace Gateway.S3.Http;

/// <summary>A satisfiable single byte range of an object.</summary>
/// <param name="Start">First byte offset.</param>
/// <param name="Length">Number of bytes (at least 1).</param>
/// <param name="TotalLength">Length of the whole object.</param>
public readonly record struct ByteRange(long Start, long Length, long TotalLength)
{
    /// <summary>Last byte offset (inclusive).</summary>
    public long End => Start + Length - 1;

    /// <summary>The Content-Range header value: <c>bytes start-end/total</c>.</summary>
    public string ContentRange => string.Create(CultureInfo.InvariantCulture, $"bytes {Start}-{End}/{TotalLength}");

    /// <summary>
    /// Interprets a Range header for an object of <paramref name="objectLength"/> bytes, as S3 does:
    /// null when absent, syntactically invalid or a multi-range (serve the whole object with 200);
    /// a range for <c>bytes=a-b</c>, <c>bytes=a-</c> and <c>bytes=-n</c>; InvalidRange (416) when
    /// the single range cannot be satisfied, carrying <c>Content-Range: bytes */size</c>, from which clients learn the size.
    /// </summary>
    public static ByteRange? Parse(string? header, long objectLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(objectLength);
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var value = header.Trim();
        if (!value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var spec = value[6..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return null;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            if (!TryParseNumber(last, out var suffix))
            {
                return null;
            }

            if (suffix == 0 || objectLength == 0)
            {
                throw Unsatisfiable(header, objectLength, withSize: true);
            }

            var n = Math.Min(suffix, objectLength);
            return new ByteRange(objectLength - n, n, objectLength);
        }

        if (!TryParseNumber(first, out var start))
        {
            return null;
        }

        long end;
        if (last.Length == 0)
        {
            end = objectLength - 1;
        }
        else if (!TryParseNumber(last, out end) || CompareNumbers(last, first) < 0)
        {
            return null;
        }

        if (start >= objectLength)
        {
            throw Unsatisfiable(header, objectLength, withSize: true);
        }

        end = Math.Min(end, objectLength - 1);
        return new ByteRange(start, end - start + 1, objectLength);
    }

    /// <summary>
    /// Parses <c>x-amz-copy-source-range: bytes=first-last</c> (both required) against the source
    /// length: bad syntax → InvalidArgument, out of bounds → InvalidRange.
    /// </summary>
    public static ByteRange ParseCopySourceRange(string header, long objectLength)
    {
        ArgumentNullException.ThrowIfNull(header);
        var value = header.Trim();
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        if (!value.StartsWith("bytes=", StringComparison.Ordinal) || dash < 0
            || !TryParseNumber(value[6..dash], out var start) || !TryParseNumber(value[(dash + 1)..], out var end)
            || CompareNumbers(value[(dash + 1)..], value[6..dash]) < 0)
        {
            throw S3Exception.InvalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy", "x-amz-copy-source-range", header);
        }

        if (end >= objectLength)
        {
            throw Unsatisfiable(header, objectLength);
        }

        return new ByteRange(start, end - start + 1, objectLength);
    }

    /// <summary>
    /// Digits only. A number past <see cref="long.MaxValue"/> counts as that: RFC 9110 sets no bound, and such an
    /// offset lies past the end of any object (a first byte there is unsatisfiable, a last byte there is the end).
    /// </summary>
    private static bool TryParseNumber(string s, out long value)
    {
        if (s.Length == 0 || !s.All(char.IsAsciiDigit))
        {
            value = 0;
            return false;
        }

        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            value = long.MaxValue;
        }

        return true;
    }

    /// <summary>Compares two digit strings by value, however long (numbers past <see cref="long.MaxValue"/> included).</summary>
    private static int CompareNumbers(string a, string b)
    {
        var x = a.AsSpan().TrimStart('0');
        var y = b.AsSpan().TrimStart('0');
        return x.Length != y.Length ? x.Length.CompareTo(y.Length) : x.SequenceCompareTo(y);
    }

    private static S3Exception Unsatisfiable(string header, long objectLength, bool withSize = false)
    {
        var size = objectLength.ToString(CultureInfo.InvariantCulture);
        var headers = withSize ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Range"] = "bytes */" + size } : null;
        return new S3Exception(S3Errors.InvalidRange) { Headers = headers }
            .WithDetail("RangeRequested", header)
            .WithDetail("ActualObjectSize", size);
    }
}
