using Grpc.Core;
using LocalPachd.Storage;
using LocalPachd.Tree;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace LocalPachd.Pfs;

/// <summary>
/// InspectFile, ListFile, WalkFile, GlobFile and GetFile resolution over one commit's immutable tree. Every
/// listing seeks to its marker; none replays history.
/// </summary>
internal static class FileQueries
{
    public static FileInfo Inspect(ReadContext context, string rawPath)
    {
        var path = PathRules.Clean(rawPath);
        var components = PathRules.Components(path);
        if (components.Length == 0)
        {
            return context.Info("/", context.RootEntry);
        }

        var entry = context.Reader.Lookup(context.Commit.Root, components) ?? throw context.NotFound(path);
        return context.Info(entry.IsDirectory ? path + "/" : path, entry);
    }

    /// <summary>
    /// The nearest ancestor of <paramref name="rawPath"/> that exists, as <see cref="Inspect"/> describes it: a directory,
    /// a file (which no path can pass through), or at the least the root.
    /// </summary>
    public static FileInfo NearestAncestor(ReadContext context, string rawPath)
    {
        var components = PathRules.Components(PathRules.Clean(rawPath));
        for (var depth = components.Length - 1; depth > 0; depth--)
        {
            var prefix = components[..depth];
            if (context.Reader.Lookup(context.Commit.Root, prefix) is { } entry)
            {
                return Describe(context, prefix, entry);
            }
        }

        return context.Info("/", context.RootEntry);
    }

    /// <summary>The file at <paramref name="components"/> as <see cref="Inspect"/> describes it; null when no file is there.</summary>
    public static FileInfo? TryInspectFile(ReadContext context, string[] components) =>
        components.Length > 0 && context.Reader.Lookup(context.Commit.Root, components) is { IsDirectory: false } entry
            ? Describe(context, components, entry)
            : null;

    /// <summary>The entry at <paramref name="components"/> as <see cref="Inspect"/> names it (a directory's path ends in "/").</summary>
    private static FileInfo Describe(ReadContext context, string[] components, TreeEntry entry)
    {
        var path = "/" + string.Join('/', components);
        return context.Info(entry.IsDirectory ? path + "/" : path, entry);
    }

    /// <summary>The file itself, or the entries directly below a directory.</summary>
    public static IEnumerable<FileInfo> List(ReadContext context, string rawPath, string? marker, long number, bool reverse)
    {
        var path = PathRules.Clean(rawPath);
        var components = PathRules.Components(path);
        var entry = components.Length == 0 ? context.RootEntry : context.Reader.Lookup(context.Commit.Root, components) ?? throw context.NotFound(path);
        if (!entry.IsDirectory)
        {
            return Limit([context.Info(path, entry)], number);
        }

        if (components.Length == 0 && context.Commit.Root is null)
        {
            return [];
        }

        var directoryPath = components.Length == 0 ? "/" : path + "/";
        return Limit(ListDirectory(context, entry, directoryPath, NormalizeMarker(marker), reverse), number);
    }

    private static IEnumerable<FileInfo> ListDirectory(ReadContext context, TreeEntry directory, string directoryPath, string? marker, bool reverse)
    {
        string? from = null;
        if (marker is not null)
        {
            if (marker.StartsWith(directoryPath, StringComparison.Ordinal))
            {
                from = marker[directoryPath.Length..];
            }
            else if ((string.CompareOrdinal(marker, directoryPath) < 0) == reverse)
            {
                // Every entry lies on the wrong side of the marker.
                yield break;
            }
        }

        foreach (var child in context.Reader.Children(directory.Ref, from, inclusive: false, reverse))
        {
            var childPath = directoryPath + child.Name;
            if (marker is not null && (reverse ? string.CompareOrdinal(childPath, marker) >= 0 : string.CompareOrdinal(childPath, marker) <= 0))
            {
                continue;
            }

            yield return context.Info(childPath, child);
        }
    }

    /// <summary>Recursive walk: the path itself, then everything below it, in full-path order.</summary>
    public static IEnumerable<FileInfo> Walk(ReadContext context, string rawPath, string? marker, long number, bool reverse)
    {
        var path = PathRules.Clean(rawPath);
        var components = PathRules.Components(path);
        if (components.Length == 0 && context.Commit.Root is null)
        {
            return [];
        }

        var entry = components.Length == 0 ? context.RootEntry : context.Reader.Lookup(context.Commit.Root, components) ?? throw context.NotFound(path);
        if (!entry.IsDirectory)
        {
            return Limit([context.Info(path, entry)], number);
        }

        var directoryPath = components.Length == 0 ? "/" : path + "/";
        return Limit(WalkDirectory(context, entry, directoryPath, NormalizeMarker(marker), reverse), number);
    }

    private static IEnumerable<FileInfo> WalkDirectory(ReadContext context, TreeEntry directory, string directoryPath, string? marker, bool reverse)
    {
        var selfIncluded = marker is null || (reverse ? string.CompareOrdinal(directoryPath, marker) < 0 : string.CompareOrdinal(directoryPath, marker) > 0);
        if (!reverse && selfIncluded)
        {
            yield return context.Info(directoryPath, directory);
        }

        var items = reverse
            ? context.Reader.WalkReverse(directory.Ref, directoryPath, marker)
            : context.Reader.Walk(directory.Ref, directoryPath, marker, lowerInclusive: false, descend: null);
        foreach (var (childPath, child) in items)
        {
            yield return context.Info(childPath, child);
        }

        if (reverse && selfIncluded)
        {
            yield return context.Info(directoryPath, directory);
        }
    }

    /// <summary>Files and directories matching a glob, in full-path order, within [lower, upper).</summary>
    public static IEnumerable<FileInfo> Glob(ReadContext context, string pattern, string? lower, string? upper)
    {
        var glob = GlobPattern.Of(pattern);
        lower = string.IsNullOrEmpty(lower) ? null : lower;
        upper = string.IsNullOrEmpty(upper) ? null : upper;
        foreach (var (path, entry) in GlobEntries(context, glob, lower))
        {
            if (upper is not null && string.CompareOrdinal(path, upper) >= 0)
            {
                yield break;
            }

            if (lower is null || string.CompareOrdinal(path, lower) >= 0)
            {
                yield return context.Info(path, entry);
            }
        }
    }

    private static IEnumerable<(string Path, TreeEntry Entry)> GlobEntries(ReadContext context, GlobPattern glob, string? lower)
    {
        if (glob.Pattern == "/")
        {
            yield return ("/", context.RootEntry);
            yield break;
        }

        if (glob.IsLiteral)
        {
            var components = PathRules.Components(glob.Pattern);
            var parent = context.Reader.Directory(context.Commit.Root, components, components.Length - 1);
            if (parent is null)
            {
                yield break;
            }

            if (context.Reader.Child(parent.Ref, components[^1]) is { } file)
            {
                yield return (glob.Pattern, file);
            }

            if (context.Reader.Child(parent.Ref, components[^1] + "/") is { } dir)
            {
                yield return (glob.Pattern + "/", dir);
            }

            yield break;
        }

        var start = context.Reader.Directory(context.Commit.Root, glob.LiteralDirectory, glob.LiteralDirectory.Length);
        if (start is null)
        {
            yield break;
        }

        var startPath = glob.LiteralDirectory.Length == 0 ? "/" : "/" + string.Join('/', glob.LiteralDirectory) + "/";
        foreach (var (path, entry) in context.Reader.Walk(start.Ref, startPath, lower, lowerInclusive: true, glob.CanDescend))
        {
            var candidate = entry.IsDirectory ? path[..^1] : path;
            if (glob.IsMatch(candidate))
            {
                yield return (path, entry);
            }
        }
    }

    /// <summary>The one file a GetFile of <paramref name="rawPath"/> (a glob, or an escaped literal path) reads, with its path.</summary>
    public static (FileContent Content, TreeEntry Entry, string Path) ResolveGetFile(ReadContext context, string rawPath)
    {
        var path = PathRules.Clean(rawPath);
        TreeEntry? match = null;
        var matchPath = path;
        if (PathRules.TryUnescapeLiteral(path, out var literal))
        {
            path = literal;
            matchPath = literal;
            var components = PathRules.Components(path);
            match = components.Length == 0 ? context.RootEntry : context.Reader.Lookup(context.Commit.Root, components);
        }
        else
        {
            var count = 0;
            foreach (var (entryPath, entry) in GlobEntries(context, GlobPattern.Of(path), null))
            {
                match = entry;
                matchPath = entryPath;
                if (++count > 1)
                {
                    throw PachErrors.New(StatusCode.FailedPrecondition, $"matched multiple files for path {path}: use GetFileTAR");
                }
            }
        }

        if (match is null || (match.IsDirectory && PathRules.Components(path).Length == 0 && context.Commit.Root is null))
        {
            throw context.NotFound(path);
        }

        if (match.IsDirectory)
        {
            throw PachErrors.New(StatusCode.FailedPrecondition, $"cannot get directory or non-regular file ({path}): use GetFileTAR");
        }

        return (context.Reader.Source.LoadContent(match.Ref), match, matchPath);
    }

    private static string? NormalizeMarker(string? marker)
    {
        if (string.IsNullOrEmpty(marker))
        {
            return null;
        }

        return marker.StartsWith('/') ? marker : "/" + marker;
    }

    private static IEnumerable<FileInfo> Limit(IEnumerable<FileInfo> source, long number) =>
        number > 0 ? source.Take((int)Math.Min(number, int.MaxValue)) : source;
}
