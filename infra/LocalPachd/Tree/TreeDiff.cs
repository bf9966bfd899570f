using LocalPachd.Storage;

namespace LocalPachd.Tree;

/// <summary>A file that differs between two trees: its full path and its entry on each side (null = absent there).</summary>
internal readonly record struct FileChange(string Path, TreeEntry? Old, TreeEntry? New);

/// <summary>
/// The regular files that differ between two immutable trees, in full-path order. A sub-directory whose hash is the same
/// on both sides is skipped without being read; inside a changed paged directory, the pages both sides share (same node
/// id, hence the same entries) are skipped as well. So a diff reads the changed paths and their ancestors — its cost
/// follows what changed, not the size of the trees.
/// Each side may be restricted to a scope (path components, empty = whole tree): the file at that path and everything
/// below the directory at that path, which is how pachd's DiffFile reads its paths.
/// </summary>
internal sealed class TreeDiff
{
    private readonly TreeReader _reader;

    public TreeDiff(TreeReader reader) => _reader = reader;

    /// <summary>The differing files; a null root is an empty tree. Lazy: nodes are read as the result is enumerated.</summary>
    public IEnumerable<FileChange> Files(Hash256? oldRoot, IReadOnlyList<string> oldScope, Hash256? newRoot, IReadOnlyList<string> newScope)
    {
        var old = _reader.Root(oldRoot) is { } o ? new Side(o, [.. oldScope], 0) : (Side?)null;
        var @new = _reader.Root(newRoot) is { } n ? new Side(n, [.. newScope], 0) : (Side?)null;
        return Directory("/", old, @new);
    }

    private IEnumerable<FileChange> Directory(string path, Side? old, Side? @new)
    {
        IEnumerable<(TreeEntry? Old, TreeEntry? New)> pairs;
        if (old is { } o && @new is { } n)
        {
            if (o.Directory.Hash == n.Directory.Hash && SameScope(o, n))
            {
                yield break;
            }

            pairs = o.Remaining == 0 && n.Remaining == 0
                ? UnsharedPairs(o.Directory.Ref, n.Directory.Ref)
                : Merge(Children(o), Children(n));
        }
        else
        {
            pairs = Merge(old is { } a ? Children(a) : [], @new is { } b ? Children(b) : []);
        }

        foreach (var (oldChild, newChild) in pairs)
        {
            var child = (oldChild ?? newChild)!;
            if (!child.IsDirectory)
            {
                if (oldChild is null || newChild is null || oldChild.Hash != newChild.Hash)
                {
                    yield return new FileChange(path + child.Name, oldChild, newChild);
                }

                continue;
            }

            var below = Directory(
                path + child.Name,
                oldChild is null ? null : old!.Value.Enter(oldChild),
                newChild is null ? null : @new!.Value.Enter(newChild));
            foreach (var change in below)
            {
                yield return change;
            }
        }
    }

    /// <summary>Whether both sides filter what lies below the current directory the same way.</summary>
    private static bool SameScope(Side old, Side @new) =>
        old.Remaining == @new.Remaining
        && old.Scope.AsSpan(old.Scope.Length - old.Remaining).SequenceEqual(@new.Scope.AsSpan(@new.Scope.Length - @new.Remaining));

    /// <summary>
    /// The children a side contributes: every child inside its scope; on the way down to the scope, only the next
    /// directory (and at the last component, the file of that name too) — found by lookup, not by listing.
    /// </summary>
    private IEnumerable<TreeEntry> Children(Side side)
    {
        if (side.Remaining == 0)
        {
            return _reader.Children(side.Directory.Ref, null, inclusive: false, reverse: false);
        }

        var name = side.Scope[side.Depth];
        var file = side.Remaining == 1 ? _reader.Child(side.Directory.Ref, name) : null;
        var directory = _reader.Child(side.Directory.Ref, name + "/");
        // "name" sorts before "name/".
        return (file, directory) switch
        {
            (null, null) => [],
            (null, { } d) => [d],
            ({ } f, null) => [f],
            ({ } f, { } d) => [f, d],
        };
    }

    /// <summary>
    /// The children of two versions of a directory paired by name, leaving out every page present on both sides: a shared
    /// page holds the same entries on both sides and, pages being disjoint sorted ranges, nothing else in its range.
    /// A leaf directory counts as its own single page.
    /// </summary>
    private IEnumerable<(TreeEntry? Old, TreeEntry? New)> UnsharedPairs(Hash256 oldDirectory, Hash256 newDirectory)
    {
        var oldNode = _reader.Source.Load(oldDirectory);
        var newNode = _reader.Source.Load(newDirectory);
        var shared = new HashSet<Hash256>(PageIds(oldDirectory, oldNode));
        shared.IntersectWith(PageIds(newDirectory, newNode));
        return Merge(Unshared(oldDirectory, oldNode, shared), Unshared(newDirectory, newNode, shared));
    }

    private static IEnumerable<Hash256> PageIds(Hash256 id, TreeNode node) => node.IsIndex ? node.Pages.Select(p => p.Page) : [id];

    private IEnumerable<TreeEntry> Unshared(Hash256 id, TreeNode node, HashSet<Hash256> shared)
    {
        if (!node.IsIndex)
        {
            if (!shared.Contains(id))
            {
                foreach (var entry in node.Entries)
                {
                    yield return entry;
                }
            }

            yield break;
        }

        foreach (var page in node.Pages)
        {
            if (!shared.Contains(page.Page))
            {
                foreach (var entry in _reader.Source.Load(page.Page).Entries)
                {
                    yield return entry;
                }
            }
        }
    }

    /// <summary>Merges two name-sorted sequences of entries into pairs by name (null where a side lacks it).</summary>
    private static IEnumerable<(TreeEntry? Old, TreeEntry? New)> Merge(IEnumerable<TreeEntry> old, IEnumerable<TreeEntry> @new)
    {
        using var o = old.GetEnumerator();
        using var n = @new.GetEnumerator();
        var hasOld = o.MoveNext();
        var hasNew = n.MoveNext();
        while (hasOld || hasNew)
        {
            var c = !hasOld ? 1 : !hasNew ? -1 : string.CompareOrdinal(o.Current.Name, n.Current.Name);
            if (c < 0)
            {
                yield return (o.Current, null);
                hasOld = o.MoveNext();
            }
            else if (c > 0)
            {
                yield return (null, n.Current);
                hasNew = n.MoveNext();
            }
            else
            {
                yield return (o.Current, n.Current);
                hasOld = o.MoveNext();
                hasNew = n.MoveNext();
            }
        }
    }

    /// <summary>One side's directory at the current path, with the scope that side is restricted to.</summary>
    private readonly record struct Side(TreeEntry Directory, string[] Scope, int Depth)
    {
        /// <summary>Scope components still below this directory (0 = everything here is in scope).</summary>
        public int Remaining => Math.Max(0, Scope.Length - Depth);

        public Side Enter(TreeEntry child) => new(child, Scope, Depth + 1);
    }
}
