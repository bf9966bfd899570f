using LocalPachd.Storage;

namespace LocalPachd.Tree;

/// <summary>
/// A directory being edited: an immutable base node plus sorted overrides (null = removed). Only the pages an
/// override touches are rewritten when the directory is folded back into immutable nodes.
/// </summary>
internal sealed class MutableDirectory
{
    public MutableDirectory(Hash256? baseNode) => Base = baseNode;

    public Hash256? Base { get; set; }

    public SortedDictionary<string, MutableChild?> Changes { get; } = new(StringComparer.Ordinal);

    public bool IsUnchanged => Changes.Count == 0;

    /// <summary>Drops everything: the directory becomes empty (or the given base).</summary>
    public void Reset(Hash256? baseNode)
    {
        Base = baseNode;
        Changes.Clear();
    }
}

/// <summary>A changed child of a <see cref="MutableDirectory"/>.</summary>
internal abstract class MutableChild;

/// <summary>A file with new content, or an existing entry reused (copy) under this name.</summary>
internal sealed class MutableFile : MutableChild
{
    public MutableFile(FileContent content) => Content = content;

    public MutableFile(TreeEntry existing) => Existing = existing;

    public FileContent? Content { get; }

    public TreeEntry? Existing { get; }
}

/// <summary>A sub-directory being edited.</summary>
internal sealed class MutableSubdirectory : MutableChild
{
    public MutableSubdirectory(MutableDirectory directory) => Directory = directory;

    public MutableDirectory Directory { get; }
}
