using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace LocalPachd.Pfs;

/// <summary>
/// A glob over full paths: <c>*</c> and <c>?</c> never cross "/", <c>**</c> does, <c>[...]</c> (negated with
/// <c>!</c> or <c>^</c>) and <c>{a,b}</c> as usual. Knows the literal directory it can start from and whether a
/// directory can hold matches, so a walk only visits what can match.
/// </summary>
internal sealed class GlobPattern
{
    /// <summary>How many patterns <see cref="Of"/> keeps; past that it starts afresh.</summary>
    private const int _cachedPatterns = 256;

    /// <summary>Parsed patterns by their text: a listing asks for the same few patterns over and over.</summary>
    private static readonly ConcurrentDictionary<string, GlobPattern> _cache = new(StringComparer.Ordinal);

    private readonly Regex _full;
    private readonly Regex?[] _segments;
    private readonly bool[] _segmentIsDoubleStar;

    public GlobPattern(string pattern)
    {
        var cleaned = "/" + pattern.TrimStart('/');
        if (cleaned.Length > 1 && cleaned.EndsWith('/'))
        {
            cleaned = cleaned.TrimEnd('/');
        }

        Pattern = cleaned;
        _full = new Regex("^" + Translate(cleaned) + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
        var parts = cleaned.Length == 1 ? [] : cleaned[1..].Split('/');
        _segments = new Regex?[parts.Length];
        _segmentIsDoubleStar = new bool[parts.Length];
        var literal = new List<string>();
        var literalDone = false;
        for (var i = 0; i < parts.Length; i++)
        {
            _segmentIsDoubleStar[i] = parts[i].Contains("**", StringComparison.Ordinal);
            _segments[i] = new Regex("^" + Translate(parts[i]) + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
            if (!literalDone && i < parts.Length - 1 && !PathRules.HasGlob(parts[i]))
            {
                literal.Add(parts[i]);
            }
            else
            {
                literalDone = true;
            }
        }

        LiteralDirectory = [.. literal];
        IsLiteral = !PathRules.HasGlob(cleaned);
    }

    /// <summary>
    /// The pattern for <paramref name="pattern"/>, parsed once and shared (a pattern is immutable and its regexes are
    /// safe to use from several threads): building its regexes costs more than the walk of a small directory.
    /// </summary>
    public static GlobPattern Of(string pattern)
    {
        if (_cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        if (_cache.Count >= _cachedPatterns)
        {
            _cache.Clear();
        }

        return _cache.GetOrAdd(pattern, static p => new GlobPattern(p));
    }

    /// <summary>The cleaned pattern ("/" prefixed, no trailing "/").</summary>
    public string Pattern { get; }

    /// <summary>True when the pattern has no glob characters (an exact path).</summary>
    public bool IsLiteral { get; }

    /// <summary>Leading pattern components without glob characters: the directory the walk starts in.</summary>
    public string[] LiteralDirectory { get; }

    /// <summary>Matches a full path (directories given without their trailing "/").</summary>
    public bool IsMatch(string path) => _full.IsMatch(path);

    /// <summary>Whether anything below directory <paramref name="directoryPath"/> ("/a/b/") could match.</summary>
    public bool CanDescend(string directoryPath)
    {
        var path = directoryPath.AsSpan().Trim('/');
        var i = 0;
        foreach (var range in path.Split('/'))
        {
            if (i >= _segments.Length)
            {
                return false;
            }

            if (_segmentIsDoubleStar[i])
            {
                return true;
            }

            if (!_segments[i]!.IsMatch(path[range]))
            {
                return false;
            }

            i++;
        }

        return i < _segments.Length;
    }

    private static string Translate(string glob)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '\\' when i + 1 < glob.Length:
                    sb.Append(Regex.Escape(glob[++i].ToString()));
                    break;
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                    sb.Append(".*");
                    i++;
                    break;
                case '*':
                    sb.Append("[^/]*");
                    break;
                case '?':
                    sb.Append("[^/]");
                    break;
                case '[':
                    var close = glob.IndexOf(']', i + 2);
                    if (close < 0)
                    {
                        sb.Append(@"\[");
                        break;
                    }

                    var body = glob[(i + 1)..close];
                    var negate = body.Length > 0 && (body[0] == '!' || body[0] == '^');
                    if (negate)
                    {
                        body = body[1..];
                    }

                    sb.Append('[').Append(negate ? "^/" : string.Empty).Append(body.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("[", @"\[", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                case '{':
                    var end = glob.IndexOf('}', i + 1);
                    if (end < 0)
                    {
                        sb.Append(@"\{");
                        break;
                    }

                    var alternatives = glob[(i + 1)..end].Split(',');
                    sb.Append("(?:").Append(string.Join('|', alternatives.Select(Translate))).Append(')');
                    i = end;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return sb.ToString();
    }
}
