using LocalPachd.Storage;

namespace LocalPachd.Tree;

/// <summary>
/// Read-only navigation of one immutable tree. Every operation seeks (binary search in the page index, then in
/// the page) instead of scanning, so its cost depends on the path depth and page size, never on history.
/// Full paths: files "/a/b", directories "/a/" (root "/").
/// </summary>
internal sealed class TreeReader
{
    private readonly NodeSource _source;

    public TreeReader(NodeSource source) => _source = source;

    public NodeSource Source => _source;

    /// <summary>The root directory as an entry (null for an empty tree).</summary>
    public TreeEntry? Root(Hash256? root)
    {
        if (root is null)
        {
            return null;
        }

        var node = _source.Load(root.Value);
        return new TreeEntry(string.Empty, true, node.Size, TreeEntry.DirectoryHash(node.Sum), root.Value);
    }

    public TreeEntry? Child(Hash256 directory, string name)
    {
        var node = _source.Load(directory);
        if (node.IsIndex)
        {
            node = _source.Load(node.Pages[node.FindPage(name)].Page);
        }

        var i = node.LowerBound(name);
        return i < node.Entries.Length && node.Entries[i].Name == name ? node.Entries[i] : null;
    }

    /// <summary>The directory at a path given as components (empty = root), or null.</summary>
    public TreeEntry? Directory(Hash256? root, IReadOnlyList<string> components, int count)
    {
        var current = Root(root);
        for (var i = 0; i < count && current is not null; i++)
        {
            current = Child(current.Ref, components[i] + "/");
        }

        return current;
    }

    /// <summary>
    /// Exact lookup. When both a file "p" and a directory "p/" exist the directory wins (as in pachd).
    /// </summary>
    public TreeEntry? Lookup(Hash256? root, IReadOnlyList<string> components)
    {
        if (components.Count == 0)
        {
            return Root(root);
        }

        var parent = Directory(root, components, components.Count - 1);
        if (parent is null)
        {
            return null;
        }

        var last = components[^1];
        return Child(parent.Ref, last + "/") ?? Child(parent.Ref, last);
    }

    /// <summary>
    /// Children of a directory in name order from a seek position: forward yields names &gt; (or &gt;= when
    /// <paramref name="inclusive"/>) <paramref name="from"/>; reverse yields names &lt; <paramref name="from"/>.
    /// </summary>
    public IEnumerable<TreeEntry> Children(Hash256 directory, string? from, bool inclusive, bool reverse)
    {
        var node = _source.Load(directory);
        if (!node.IsIndex)
        {
            return Slice(node, from, inclusive, reverse);
        }

        return reverse ? IndexReverse(node, from) : IndexForward(node, from, inclusive);
    }

    private IEnumerable<TreeEntry> IndexForward(TreeNode index, string? from, bool inclusive)
    {
        var start = from is null ? 0 : index.FindPage(from);
        for (var p = start; p < index.Pages.Length; p++)
        {
            var page = _source.Load(index.Pages[p].Page);
            foreach (var entry in Slice(page, p == start ? from : null, inclusive, reverse: false))
            {
                yield return entry;
            }
        }
    }

    private IEnumerable<TreeEntry> IndexReverse(TreeNode index, string? from)
    {
        var start = from is null ? index.Pages.Length - 1 : index.FindPage(from);
        for (var p = start; p >= 0; p--)
        {
            var page = _source.Load(index.Pages[p].Page);
            foreach (var entry in Slice(page, p == start ? from : null, false, reverse: true))
            {
                yield return entry;
            }
        }
    }

    private static IEnumerable<TreeEntry> Slice(TreeNode leaf, string? from, bool inclusive, bool reverse)
    {
        var entries = leaf.Entries;
        if (!reverse)
        {
            var i = 0;
            if (from is not null)
            {
                i = leaf.LowerBound(from);
                if (!inclusive && i < entries.Length && entries[i].Name == from)
                {
                    i++;
                }
            }

            for (; i < entries.Length; i++)
            {
                yield return entries[i];
            }
        }
        else
        {
            var i = from is null ? entries.Length - 1 : leaf.LowerBound(from) - 1;
            for (; i >= 0; i--)
            {
                yield return entries[i];
            }
        }
    }

    /// <summary>
    /// Depth-first walk below <paramref name="directoryPath"/> in full-path order, files and directories.
    /// <paramref name="lower"/> is a full-path lower bound (exclusive unless <paramref name="lowerInclusive"/>);
    /// <paramref name="descend"/> may prune sub-directories (full path with trailing "/").
    /// </summary>
    public IEnumerable<(string Path, TreeEntry Entry)> Walk(
        Hash256 directory, string directoryPath, string? lower, bool lowerInclusive, Func<string, bool>? descend)
    {
        var bound = lower is not null && lower.StartsWith(directoryPath, StringComparison.Ordinal) ? lower : null;
        if (lower is not null && bound is null && string.CompareOrdinal(lower, directoryPath) > 0)
        {
            yield break;
        }

        string? seek = null;
        var seekInclusive = false;
        if (bound is not null && bound.Length > directoryPath.Length)
        {
            var rel = bound[directoryPath.Length..];
            var slash = rel.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                seek = rel[..(slash + 1)];
                seekInclusive = true;
            }
            else
            {
                seek = rel;
                seekInclusive = lowerInclusive;
            }
        }

        foreach (var child in Children(directory, seek, seekInclusive, reverse: false))
        {
            var path = directoryPath + child.Name;
            if (bound is null || AfterBound(path, bound, lowerInclusive))
            {
                yield return (path, child);
            }

            if (child.IsDirectory && (descend is null || descend(path)))
            {
                foreach (var item in Walk(child.Ref, path, bound, lowerInclusive, descend))
                {
                    yield return item;
                }
            }
        }
    }

    /// <summary>Reverse depth-first walk (descending full-path order) of paths strictly below <paramref name="upper"/>.</summary>
    public IEnumerable<(string Path, TreeEntry Entry)> WalkReverse(Hash256 directory, string directoryPath, string? upper)
    {
        var bound = upper is not null && upper.StartsWith(directoryPath, StringComparison.Ordinal) ? upper : null;
        if (upper is not null && bound is null && string.CompareOrdinal(upper, directoryPath) < 0)
        {
            yield break;
        }

        string? seek = null;
        if (bound is not null)
        {
            var rel = bound[directoryPath.Length..];
            if (rel.Length == 0)
            {
                yield break;
            }

            var slash = rel.IndexOf('/', StringComparison.Ordinal);
            // The directory holding the bound sorts just before the bound's deeper paths: start from it.
            seek = slash >= 0 ? rel[..(slash + 1)] + "\0" : rel;
        }

        foreach (var child in Children(directory, seek, inclusive: false, reverse: true))
        {
            var path = directoryPath + child.Name;
            if (child.IsDirectory)
            {
                foreach (var item in WalkReverse(child.Ref, path, bound))
                {
                    yield return item;
                }
            }

            if (bound is null || string.CompareOrdinal(path, bound) < 0)
            {
                yield return (path, child);
            }
        }
    }

    private static bool AfterBound(string path, string bound, bool inclusive)
    {
        var c = string.CompareOrdinal(path, bound);
        return c > 0 || (inclusive && c == 0);
    }
}
