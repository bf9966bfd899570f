using System.Globalization;
using System.Text;
using Gateway.S3.Errors;

namespace Gateway.Core.Naming;

/// <summary>
/// S3 object keys and their PFS paths (docs/KEYS.md). Any key S3 accepts is accepted, except keys PFS cannot
/// represent as a path: control characters, <c>.</c>/<c>..</c> elements and empty elements (a leading '/' or
/// <c>//</c>), which PFS would clean into another file's path. A key is stored at <c>/</c> + <see cref="KeyCodec.Encode"/>
/// of it, so keys of characters pachd accepts (other than the escape characters) keep their name, and paths sort
/// as keys do. A key ending in '/' names a directory, which in PFS exists only through the files below it.
/// </summary>
internal static class ObjectKey
{
    /// <summary>S3's key limit in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    private const string _pachdRefused = "*?[]{}!()@+^";

    /// <summary>The PFS path of <paramref name="key"/> (a key <see cref="Check"/> accepts).</summary>
    public static string ToPath(string key) => "/" + KeyCodec.Encode(key);

    /// <summary>The S3 key of a PFS path (the leading '/' removed, escapes decoded).</summary>
    public static string FromPath(string path) => KeyCodec.Decode(path.StartsWith('/') ? path[1..] : path);

    /// <summary>
    /// The literal path of a file written by other means (pachctl, a pipeline) that reads back as
    /// <paramref name="key"/> although it is not the key's encoded path: a name holding an escape character that
    /// starts no token, such as <c>it's.txt</c>. Null when there can be no such file.
    /// </summary>
    public static string? LiteralAlias(string key)
    {
        var literal = "/" + key;
        if (literal == ToPath(key))
        {
            return null;
        }

        foreach (var c in key)
        {
            if (c is < ' ' or > '~' || _pachdRefused.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }
        }

        return KeyCodec.Decode(key) == key ? literal : null;
    }

    /// <summary>Every path that may hold <paramref name="key"/>: its encoded path, then its literal alias if any.</summary>
    public static IEnumerable<string> StoredPaths(string key)
    {
        yield return ToPath(key);
        if (LiteralAlias(key) is { } alias)
        {
            yield return alias;
        }
    }

    /// <summary>True when the key names a directory ("folder marker").</summary>
    public static bool IsDirectoryKey(string key) => key.EndsWith('/');

    /// <summary>True when PFS can hold an object at <paramref name="key"/>: an accepted key that is not a directory key.</summary>
    public static bool IsStorable(string key) => !IsDirectoryKey(key) && Check(key) is null;

    /// <summary>The error that refuses <paramref name="key"/>, or null when the gateway can store it.</summary>
    public static S3Exception? Check(string key)
    {
        if (key.Length == 0)
        {
            return Invalid("The object key is empty.", key);
        }

        var bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes > MaxKeyBytes)
        {
            return new S3Exception(S3Errors.KeyTooLongError)
                .WithDetail("Size", bytes.ToString(CultureInfo.InvariantCulture))
                .WithDetail("MaxSizeAllowed", MaxKeyBytes.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var c in key)
        {
            if (c < ' ')
            {
                return Invalid("Object keys may not contain control characters (0x00-0x1F): Pachyderm paths cannot hold them.", key);
            }
        }

        var elements = key.Split('/');
        for (var i = 0; i < elements.Length; i++)
        {
            var element = elements[i];
            if (element is "." or "..")
            {
                return Invalid("Object keys may not contain '.' or '..' path elements: Pachyderm would resolve them to another file.", key);
            }

            if (element.Length == 0 && i < elements.Length - 1)
            {
                return Invalid("Object keys may not start with '/' or contain '//': Pachyderm would fold them into another file's path.", key);
            }
        }

        return null;
    }

    /// <summary>InvalidArgument (or KeyTooLongError) unless an object with data can be written at <paramref name="key"/>.</summary>
    public static void RequireWritable(string key)
    {
        if (Check(key) is { } refused)
        {
            throw refused;
        }

        if (IsDirectoryKey(key))
        {
            throw S3Exception.InvalidArgument("A key ending in '/' is a directory in Pachyderm and cannot hold data.", "key", key);
        }
    }

    private static S3Exception Invalid(string message, string key) => S3Exception.InvalidArgument(message, "key", key);
}
