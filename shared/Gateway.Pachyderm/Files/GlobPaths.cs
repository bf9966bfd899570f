using System.Text;

namespace Gateway.Pachyderm.Files;

/// <summary>
/// pachd reads the path of GetFile (and GetFileTAR, GlobFile) as a glob, in which '\' escapes the next character.
/// A path must therefore be escaped before it is sent where a glob is expected, or a file whose name holds '\'
/// (or a glob character) could not be read by its name.
/// </summary>
public static class GlobPaths
{
    private const string _special = "\\*?[]{}!()@+^";

    /// <summary>The glob that matches exactly <paramref name="path"/>.</summary>
    public static string Escape(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.AsSpan().IndexOfAny(_special) < 0)
        {
            return path;
        }

        var sb = new StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            if (_special.Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
