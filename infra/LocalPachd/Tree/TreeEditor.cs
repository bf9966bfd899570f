using LocalPachd.Storage;

namespace LocalPachd.Tree;

/// <summary>
/// Applies ModifyFile operations to a tree and folds the result into new immutable nodes. Unchanged
/// sub-trees and pages keep their ids (structural sharing), so a write costs O(depth × (page + index)).
/// </summary>
internal sealed class TreeEditor
{
    /// <summary>Largest leaf page; a directory bigger than this is split into pages under an index node.</summary>
    public const int MaxLeaf = 512;

    private const int _targetLeaf = 256;
    private const int _minLeaf = 64;

    private readonly TreeReader _reader;
    private readonly MutableDirectory _root;

    public TreeEditor(TreeReader reader, Hash256? root)
    {
        _reader = reader;
        _root = new MutableDirectory(root);
    }

    /// <summary>Nodes created by <see cref="Fold"/> (id → encoding and node), to insert with the commit.</summary>
    public Dictionary<Hash256, (byte[] Bytes, TreeNode Node)> NewNodes { get; } = [];

    /// <summary>File contents created by edits, to insert with the commit.</summary>
    public Dictionary<Hash256, FileContent> NewContents { get; } = [];

    public void AppendFile(IReadOnlyList<string> path, ReadOnlySpan<ChunkRef> chunks)
    {
        var dir = DirectoryForWrite(path, path.Count - 1);
        var name = path[^1];
        var content = CurrentContent(dir, name);
        var updated = content is null ? new FileContent(chunks.ToArray()) : content.Append(chunks);
        dir.Changes[name] = new MutableFile(updated);
    }

    public void PutFile(IReadOnlyList<string> path, TreeEntry source, bool append)
    {
        var dir = DirectoryForWrite(path, path.Count - 1);
        var name = path[^1];
        if (append && CurrentContent(dir, name) is { } existing)
        {
            dir.Changes[name] = new MutableFile(existing.Append(_reader.Source.LoadContent(source.Ref).Chunks));
            return;
        }

        dir.Changes[name] = new MutableFile(source);
    }

    /// <summary>Copies a directory entry (shared by reference unless appending into existing files).</summary>
    public void PutDirectory(IReadOnlyList<string> path, TreeEntry source, bool append)
    {
        if (append)
        {
            foreach (var (sourcePath, entry) in _reader.Walk(source.Ref, "/", null, false, null))
            {
                if (!entry.IsDirectory)
                {
                    var relative = sourcePath[1..].Split('/');
                    PutFile([.. path, .. relative], entry, append: true);
                }
            }

            return;
        }

        if (path.Count == 0)
        {
            _root.Reset(source.Ref);
            return;
        }

        var dir = DirectoryForWrite(path, path.Count - 1);
        dir.Changes[path[^1] + "/"] = new MutableSubdirectory(new MutableDirectory(source.Ref));
    }

    public void DeleteFile(IReadOnlyList<string> path)
    {
        var dir = DirectoryIfExists(path, path.Count - 1);
        if (dir is not null && Exists(dir, path[^1]))
        {
            dir.Changes[path[^1]] = null;
        }
    }

    public void DeleteDirectory(IReadOnlyList<string> path)
    {
        if (path.Count == 0)
        {
            _root.Reset(null);
            return;
        }

        var dir = DirectoryIfExists(path, path.Count - 1);
        var name = path[^1] + "/";
        if (dir is not null && Exists(dir, name))
        {
            dir.Changes[name] = null;
        }
    }

    /// <summary>Folds all edits into immutable nodes and returns the new root (null when the tree is empty).</summary>
    public (Hash256? Root, long Size) Fold()
    {
        var result = Fold(_root);
        return result is null ? (null, 0) : (result.Value.Node, result.Value.Size);
    }

    private MutableDirectory DirectoryForWrite(IReadOnlyList<string> path, int count)
    {
        var dir = _root;
        for (var i = 0; i < count; i++)
        {
            var name = path[i] + "/";
            if (dir.Changes.TryGetValue(name, out var child))
            {
                if (child is MutableSubdirectory sub)
                {
                    dir = sub.Directory;
                    continue;
                }

                var created = new MutableDirectory(null);
                dir.Changes[name] = new MutableSubdirectory(created);
                dir = created;
                continue;
            }

            var existing = dir.Base is { } b ? _reader.Child(b, name) : null;
            var next = new MutableDirectory(existing?.Ref);
            dir.Changes[name] = new MutableSubdirectory(next);
            dir = next;
        }

        return dir;
    }

    private MutableDirectory? DirectoryIfExists(IReadOnlyList<string> path, int count)
    {
        var dir = _root;
        for (var i = 0; i < count; i++)
        {
            var name = path[i] + "/";
            if (dir.Changes.TryGetValue(name, out var child))
            {
                if (child is not MutableSubdirectory sub)
                {
                    return null;
                }

                dir = sub.Directory;
                continue;
            }

            var existing = dir.Base is { } b ? _reader.Child(b, name) : null;
            if (existing is null)
            {
                return null;
            }

            var next = new MutableDirectory(existing.Ref);
            dir.Changes[name] = new MutableSubdirectory(next);
            dir = next;
        }

        return dir;
    }

    private bool Exists(MutableDirectory dir, string name)
    {
        if (dir.Changes.TryGetValue(name, out var child))
        {
            return child is not null;
        }

        return dir.Base is { } b && _reader.Child(b, name) is not null;
    }

    private FileContent? CurrentContent(MutableDirectory dir, string name)
    {
        if (dir.Changes.TryGetValue(name, out var child))
        {
            return child switch
            {
                MutableFile { Content: { } content } => content,
                MutableFile { Existing: { } entry } => _reader.Source.LoadContent(entry.Ref),
                _ => null,
            };
        }

        return dir.Base is { } b && _reader.Child(b, name) is { IsDirectory: false } e ? _reader.Source.LoadContent(e.Ref) : null;
    }

    private (Hash256 Node, long Size, Hash256 Sum)? Fold(MutableDirectory dir)
    {
        if (dir.IsUnchanged)
        {
            if (dir.Base is not { } unchanged)
            {
                return null;
            }

            var node = Load(unchanged);
            return (unchanged, node.Size, node.Sum);
        }

        var changes = new List<(string Name, TreeEntry? Entry)>(dir.Changes.Count);
        foreach (var (name, child) in dir.Changes)
        {
            changes.Add((name, Resolve(name, child)));
        }

        if (dir.Base is not { } baseId)
        {
            return Build(changes.Where(c => c.Entry is not null).Select(c => c.Entry!).ToList());
        }

        var baseNode = Load(baseId);
        if (!baseNode.IsIndex)
        {
            return Build(Merge(baseNode.Entries, changes));
        }

        return FoldIndex(baseNode, changes);
    }

    private TreeEntry? Resolve(string name, MutableChild? child)
    {
        switch (child)
        {
            case null:
                return null;
            case MutableFile { Content: { } content }:
                NewContents[content.Id] = content;
                return new TreeEntry(name, false, content.Size, content.Id, content.Id);
            case MutableFile { Existing: { } entry }:
                return entry.Rename(name);
            case MutableSubdirectory sub:
                var folded = Fold(sub.Directory);
                return folded is { } f ? new TreeEntry(name, true, f.Size, TreeEntry.DirectoryHash(f.Sum), f.Node) : null;
            default:
                throw new InvalidOperationException("unknown change kind");
        }
    }

    private (Hash256 Node, long Size, Hash256 Sum)? FoldIndex(TreeNode index, List<(string Name, TreeEntry? Entry)> changes)
    {
        // Group the (sorted) changes by the page that holds each name.
        var groups = new SortedDictionary<int, List<(string Name, TreeEntry? Entry)>>();
        foreach (var change in changes)
        {
            var page = index.FindPage(change.Name);
            if (!groups.TryGetValue(page, out var list))
            {
                groups[page] = list = [];
            }

            list.Add(change);
        }

        var pages = new List<PageRef>(index.Pages.Length + 2);
        var touched = new List<int>();
        for (var p = 0; p < index.Pages.Length; p++)
        {
            if (!groups.TryGetValue(p, out var group))
            {
                pages.Add(index.Pages[p]);
                continue;
            }

            var merged = Merge(Load(index.Pages[p].Page).Entries, group);
            foreach (var piece in Split(merged))
            {
                touched.Add(pages.Count);
                pages.Add(SavePage(piece));
            }
        }

        long total = 0;
        foreach (var page in pages)
        {
            total += page.Count;
        }

        if (total == 0)
        {
            return null;
        }

        if (total <= MaxLeaf)
        {
            var all = new List<TreeEntry>((int)total);
            foreach (var page in pages)
            {
                all.AddRange(Load(page.Page).Entries);
            }

            return Build(all);
        }

        RebalanceSmallPages(pages, touched);
        var node = TreeNode.Index([.. pages]);
        var id = Save(node);
        return (id, node.Size, node.Sum);
    }

    /// <summary>Merges an under-full touched page with a neighbour so pages stay between _minLeaf and MaxLeaf.</summary>
    private void RebalanceSmallPages(List<PageRef> pages, List<int> touched)
    {
        var small = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in touched)
        {
            if (pages[t].Count < _minLeaf)
            {
                small.Add(pages[t].FirstName);
            }
        }

        for (var i = 0; i < pages.Count && pages.Count > 1; i++)
        {
            if (!small.Contains(pages[i].FirstName) || pages[i].Count >= _minLeaf)
            {
                continue;
            }

            var left = i + 1 < pages.Count ? i : i - 1;
            var entries = new List<TreeEntry>(Load(pages[left].Page).Entries);
            entries.AddRange(Load(pages[left + 1].Page).Entries);
            pages.RemoveRange(left, 2);
            var insert = left;
            foreach (var piece in Split(entries))
            {
                pages.Insert(insert++, SavePage(piece));
            }

            i = left;
        }
    }

    private (Hash256 Node, long Size, Hash256 Sum)? Build(List<TreeEntry> entries)
    {
        if (entries.Count == 0)
        {
            return null;
        }

        if (entries.Count <= MaxLeaf)
        {
            var leaf = TreeNode.Leaf([.. entries]);
            var leafId = Save(leaf);
            return (leafId, leaf.Size, leaf.Sum);
        }

        var pages = new List<PageRef>();
        foreach (var piece in Split(entries))
        {
            pages.Add(SavePage(piece));
        }

        var index = TreeNode.Index([.. pages]);
        var id = Save(index);
        return (id, index.Size, index.Sum);
    }

    private static IEnumerable<List<TreeEntry>> Split(List<TreeEntry> entries)
    {
        if (entries.Count == 0)
        {
            yield break;
        }

        if (entries.Count <= MaxLeaf)
        {
            yield return entries;
            yield break;
        }

        // Even pieces, so no page produced by a split is ever under-full.
        var pieces = (entries.Count + _targetLeaf - 1) / _targetLeaf;
        var start = 0;
        for (var p = 0; p < pieces; p++)
        {
            var end = (int)((long)entries.Count * (p + 1) / pieces);
            yield return entries.GetRange(start, end - start);
            start = end;
        }
    }

    private PageRef SavePage(List<TreeEntry> entries)
    {
        var leaf = TreeNode.Leaf([.. entries]);
        var id = Save(leaf);
        return new PageRef(entries[0].Name, id, leaf.Count, leaf.Size, leaf.Sum);
    }

    private Hash256 Save(TreeNode node)
    {
        var bytes = node.Encode();
        var id = Hash256.Compute(bytes);
        NewNodes[id] = (bytes, node);
        return id;
    }

    /// <summary>Loads a node, including ones created by this fold and not stored yet.</summary>
    private TreeNode Load(Hash256 id) => NewNodes.TryGetValue(id, out var created) ? created.Node : _reader.Source.Load(id);

    private static List<TreeEntry> Merge(TreeEntry[] existing, List<(string Name, TreeEntry? Entry)> changes)
    {
        var result = new List<TreeEntry>(existing.Length + changes.Count);
        int i = 0, j = 0;
        while (i < existing.Length || j < changes.Count)
        {
            var c = i >= existing.Length ? 1 : j >= changes.Count ? -1 : string.CompareOrdinal(existing[i].Name, changes[j].Name);
            if (c < 0)
            {
                result.Add(existing[i++]);
                continue;
            }

            if (c == 0)
            {
                i++;
            }

            if (changes[j].Entry is { } entry)
            {
                result.Add(entry);
            }

            j++;
        }

        return result;
    }
}
