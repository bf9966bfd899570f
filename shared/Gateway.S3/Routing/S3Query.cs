using System.Collections;

namespace Gateway.S3.Routing;

/// <summary>One query parameter, decoded once. <see cref="HasValue"/> is false for presence-only parameters such as <c>?uploads</c>.</summary>
/// <param name="Name">Decoded name.</param>
/// <param name="Value">Decoded value; empty when absent.</param>
/// <param name="HasValue">Whether the raw parameter contained '='.</param>
public readonly record struct S3QueryParameter(string Name, string Value, bool HasValue);

/// <summary>
/// The query string parsed from the raw request target: names and values percent-decoded once
/// ('+' stays '+'), order and duplicates preserved, names compared case-sensitively as S3 does.
/// </summary>
public sealed class S3Query : IReadOnlyList<S3QueryParameter>
{
    private readonly S3QueryParameter[] _items;

    private S3Query(S3QueryParameter[] items, string raw)
    {
        _items = items;
        Raw = raw;
    }

    /// <summary>An empty query.</summary>
    public static S3Query Empty { get; } = new([], string.Empty);

    /// <summary>The raw query string without the leading '?', exactly as received.</summary>
    public string Raw { get; }

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public S3QueryParameter this[int index] => _items[index];

    /// <summary>Parses a raw query string (with or without a leading '?').</summary>
    public static S3Query Parse(string? rawQuery) =>
        string.IsNullOrEmpty(rawQuery) ? Empty : ParseRaw(rawQuery[0] == '?' ? rawQuery[1..] : rawQuery);

    /// <summary>
    /// Parses the query exactly as it follows the target's first '?': a '?' it starts with is part of the first name
    /// (RFC 3986 allows '?' in a query), not a second mark to drop.
    /// </summary>
    internal static S3Query ParseRaw(string raw)
    {
        if (raw.Length == 0)
        {
            return Empty;
        }

        var list = new List<S3QueryParameter>();
        foreach (var range in raw.AsSpan().Split('&'))
        {
            var part = raw.AsSpan(range);
            if (part.IsEmpty)
            {
                continue;
            }

            var eq = part.IndexOf('=');
            list.Add(eq < 0
                ? new S3QueryParameter(S3UriEncoding.Decode(part), string.Empty, false)
                : new S3QueryParameter(S3UriEncoding.Decode(part[..eq]), S3UriEncoding.Decode(part[(eq + 1)..]), true));
        }

        return new S3Query([.. list], raw);
    }

    /// <summary>True when the parameter is present, with or without a value.</summary>
    public bool Contains(string name)
    {
        foreach (var p in _items)
        {
            if (string.Equals(p.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first value of the parameter, or null when absent (empty string when presence-only).</summary>
    public string? Get(string name)
    {
        foreach (var p in _items)
        {
            if (string.Equals(p.Name, name, StringComparison.Ordinal))
            {
                return p.Value;
            }
        }

        return null;
    }

    /// <summary>Tries to get the first value of the parameter.</summary>
    public bool TryGet(string name, out string value)
    {
        var v = Get(name);
        value = v ?? string.Empty;
        return v is not null;
    }

    /// <inheritdoc />
    public IEnumerator<S3QueryParameter> GetEnumerator() => ((IEnumerable<S3QueryParameter>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
