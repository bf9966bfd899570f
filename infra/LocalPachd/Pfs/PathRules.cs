using System.Diagnostics.CodeAnalysis;

namespace LocalPachd.Pfs;

/// <summary>pachd's path cleaning and the validation of writable paths.</summary>
internal static class PathRules
{
    private const string _globCharacters = "*?[]{}!()@+^";

    /// <summary>Cleans to an absolute path without a trailing slash ("" and "/" become "/").</summary>
    public static string Clean(string? path)
    {
        if (IsClean(path))
        {
            return path;
        }

        var components = Components(path);
        return components.Length == 0 ? "/" : "/" + string.Join('/', components);
    }

    /// <summary>Non-empty components, "." dropped and ".." applied (as path.Clean does).</summary>
    public static string[] Components(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return [];
        }

        var result = new List<string>();
        var text = path.AsSpan();
        foreach (var range in text.Split('/'))
        {
            var part = text[range];
            if (part.Length == 0 || part is ".")
            {
                continue;
            }

            if (part is "..")
            {
                if (result.Count > 0)
                {
                    result.RemoveAt(result.Count - 1);
                }

                continue;
            }

            result.Add(part.ToString());
        }

        return [.. result];
    }

    /// <summary>True when <see cref="Clean"/> would give <paramref name="path"/> back unchanged (most paths).</summary>
    private static bool IsClean([NotNullWhen(true)] string? path) =>
        path is ['/', ..]
        && (path.Length == 1
            || (path[^1] != '/' && !path.EndsWith("/.", StringComparison.Ordinal) && !path.EndsWith("/..", StringComparison.Ordinal)
                && !path.Contains("//", StringComparison.Ordinal) && !path.Contains("/./", StringComparison.Ordinal)
                && !path.Contains("/../", StringComparison.Ordinal)));

    /// <summary>Throws pachd's UNKNOWN error when <paramref name="path"/> may not be written.</summary>
    public static void ValidateWritable(string path)
    {
        foreach (var c in path)
        {
            if (c < 0x20 || c > 0x7E)
            {
                throw PachErrors.New(Grpc.Core.StatusCode.Unknown, $"path ({path}) invalid: only printable ASCII characters allowed");
            }
        }

        foreach (var c in path)
        {
            if (_globCharacters.Contains(c, StringComparison.Ordinal))
            {
                throw PachErrors.New(Grpc.Core.StatusCode.Unknown, $"path ({path}) invalid: globbing character ({c}) not allowed in path");
            }
        }

        foreach (var part in path.Split('/'))
        {
            if (part is "." or "..")
            {
                throw PachErrors.New(Grpc.Core.StatusCode.Unknown, $"path ({path}) invalid: relative file paths are not allowed");
            }
        }
    }

    public static bool HasGlob(string path) => path.AsSpan().IndexOfAny("*?[]{}\\") >= 0;

    /// <summary>
    /// The path a glob names when it has no wildcard, only escapes ('\' takes the next character literally, as in
    /// pachd's globs); false when it has a wildcard.
    /// </summary>
    public static bool TryUnescapeLiteral(string pattern, out string literal)
    {
        var sb = new System.Text.StringBuilder(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                sb.Append(pattern[++i]);
            }
            else if ("*?[]{}".Contains(c, StringComparison.Ordinal))
            {
                literal = pattern;
                return false;
            }
            else
            {
                sb.Append(c);
            }
        }

        literal = sb.ToString();
        return true;
    }

    /// <summary>Repo and branch names: ^[a-zA-Z0-9_-]+$.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Project names: the repo charset, starting alphanumeric, at most 51 characters.</summary>
    public static bool IsValidProjectName(string? name) =>
        IsValidName(name) && name!.Length <= 51 && char.IsAsciiLetterOrDigit(name[0]);

    /// <summary>A commit id as pachd makes them: 32 lowercase hex characters.</summary>
    public static bool IsCommitId(string id)
    {
        if (id.Length != 32)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
