using System.Globalization;

namespace Gateway.Core.Objects;

/// <summary>
/// One satisfiable byte range of an object, from a <c>Range: bytes=...</c> header. S3 serves a single range;
/// a header with several ranges, another unit or bad syntax is ignored (the whole object is sent), as HTTP allows.
/// </summary>
internal readonly record struct ByteRange(long Offset, long Length)
{
    /// <summary>The inclusive last byte.</summary>
    public long Last => Offset + Length - 1;

    /// <summary>Outcome of reading a Range header against an object size.</summary>
    public enum Outcome
    {
        /// <summary>No (usable) Range header: send everything.</summary>
        Whole,

        /// <summary>A satisfiable range.</summary>
        Partial,

        /// <summary>Syntactically fine but beyond the object: 416.</summary>
        Unsatisfiable,
    }

    /// <summary>Reads <paramref name="header"/> (may be null) for an object of <paramref name="size"/> bytes.</summary>
    public static Outcome TryParse(string? header, long size, out ByteRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(header))
        {
            return Outcome.Whole;
        }

        var value = header.Trim();
        if (!value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.Whole;
        }

        var spec = value[6..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal))
        {
            return Outcome.Whole;
        }

        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return Outcome.Whole;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            // bytes=-N: the last N bytes.
            if (!TryNumber(last, out var suffix))
            {
                return Outcome.Whole;
            }

            if (suffix == 0 || size == 0)
            {
                return Outcome.Unsatisfiable;
            }

            var n = Math.Min(suffix, size);
            range = new ByteRange(size - n, n);
            return Outcome.Partial;
        }

        if (!TryNumber(first, out var start))
        {
            return Outcome.Whole;
        }

        long end;
        if (last.Length == 0)
        {
            end = size - 1;
        }
        else if (!TryNumber(last, out end) || end < start)
        {
            return Outcome.Whole;
        }

        if (start >= size)
        {
            return Outcome.Unsatisfiable;
        }

        end = Math.Min(end, size - 1);
        range = new ByteRange(start, end - start + 1);
        return Outcome.Partial;
    }

    private static bool TryNumber(string s, out long value) =>
        long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
