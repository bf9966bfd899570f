using System.Text;
using Gateway.S3.Errors;

namespace Gateway.Core.Naming;

/// <summary>
/// Maps S3 object keys to PFS paths and says which keys PFS can hold.
/// <para>
/// PFS stores only printable ASCII paths without glob characters (<c>* ? [ ] { } ! ( ) @ + ^</c>) and without
/// <c>.</c>/<c>..</c> elements. A backslash is refused too: pachd reads paths as globs, where it escapes the next
/// character, so such a key could not be read back exactly. Runs of '/' are collapsed the way PFS cleans paths,
/// so <c>a//b</c> is stored, read and listed as <c>a/b</c>. A key ending in '/' names a directory, which in
/// PFS exists only through the files below it.
/// </para>
/// </summary>
internal static class ObjectKey
{
    /// <summary>S3's key limit in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    private const string _globCharacters = "*?[]{}!()@+^\\";

    /// <summary>The PFS path of <paramref name="key"/>: a leading '/', repeated slashes collapsed.</summary>
    public static string ToPath(string key)
    {
        var sb = new StringBuilder(key.Length + 1);
        sb.Append('/');
        foreach (var c in key)
        {
            if (c == '/' && sb[^1] == '/')
            {
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>The S3 key of a PFS path (the leading '/' removed).</summary>
    public static string FromPath(string path) => path.StartsWith('/') ? path[1..] : path;

    /// <summary>True when PFS can hold an object at <paramref name="key"/>: a valid key that is not a directory key.</summary>
    public static bool IsStorable(string key) => !IsDirectoryKey(key) && Validate(key) is null;

    /// <summary>InvalidArgument naming the rule unless an object with data can be written at <paramref name="key"/>.</summary>
    public static void RequireWritable(string key)
    {
        if (Validate(key) is { } why)
        {
            throw S3Exception.InvalidArgument(why, "key", key);
        }

        if (IsDirectoryKey(key))
        {
            throw S3Exception.InvalidArgument("A key ending in '/' is a directory in Pachyderm and cannot hold data.", "key", key);
        }
    }

    /// <summary>True when the key names a directory ("folder marker").</summary>
    public static bool IsDirectoryKey(string key) => key.EndsWith('/');

    /// <summary>
    /// Why PFS cannot hold <paramref name="key"/>, or null when it can. The message is meant for the client.
    /// </summary>
    public static string? Validate(string key)
    {
        if (key.Length == 0)
        {
            return "The object key is empty.";
        }

        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            return "The object key is longer than 1024 bytes.";
        }

        foreach (var c in key)
        {
            if (c is < ' ' or > '~')
            {
                return "Pachyderm file paths may contain only printable ASCII characters (0x20-0x7E).";
            }

            if (_globCharacters.Contains(c, StringComparison.Ordinal))
            {
                return $"Pachyderm file paths may not contain the character '{c}' (one of * ? [ ] {{ }} ! ( ) @ + ^ \\).";
            }
        }

        foreach (var element in key.Split('/'))
        {
            if (element is "." or "..")
            {
                return "Pachyderm file paths may not contain '.' or '..' elements.";
            }
        }

        if (key.Trim('/').Length == 0)
        {
            return "The object key names the bucket root.";
        }

        return null;
    }
}
