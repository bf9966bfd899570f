using System.Runtime.CompilerServices;
using System.Text;
using LocalPachd.Storage;

namespace LocalPachd.Tree;

/// <summary>
/// One child of a directory. Directory names carry a trailing "/" so that sorting names ordinally and walking
/// depth-first yields pachd's lexicographic full-path order ("/a-b" &lt; "/a/" &lt; "/a/x").
/// For a file <see cref="Hash"/> and <see cref="Ref"/> are both the content id; for a directory <see cref="Hash"/>
/// is the directory hash and <see cref="Ref"/> the id of its root node.
/// </summary>
internal sealed class TreeEntry
{
    // A boxed value: publishing a reference is atomic, a 32-byte struct is not (nodes are shared across threads).
    private StrongBox<Hash256>? _contribution;

    public TreeEntry(string name, bool isDirectory, long size, Hash256 hash, Hash256 reference)
    {
        Name = name;
        IsDirectory = isDirectory;
        Size = size;
        Hash = hash;
        Ref = reference;
    }

    public string Name { get; }

    public bool IsDirectory { get; }

    public long Size { get; }

    public Hash256 Hash { get; }

    public Hash256 Ref { get; }

    /// <summary>This entry's share of its directory's hash: SHA-256(name, 0, hash); a directory sums them.</summary>
    public Hash256 Contribution => (_contribution ??= new StrongBox<Hash256>(ComputeContribution())).Value;

    public TreeEntry Rename(string name) => name == Name ? this : new TreeEntry(name, IsDirectory, Size, Hash, Ref);

    private Hash256 ComputeContribution()
    {
        var byteCount = Encoding.UTF8.GetByteCount(Name);
        var buffer = byteCount <= 512 ? stackalloc byte[byteCount + 1 + Hash256.Size] : new byte[byteCount + 1 + Hash256.Size];
        Encoding.UTF8.GetBytes(Name, buffer);
        buffer[byteCount] = 0;
        Hash.WriteTo(buffer[(byteCount + 1)..]);
        return Hash256.Compute(buffer);
    }

    /// <summary>A directory's hash from the sum of its entries' contributions.</summary>
    public static Hash256 DirectoryHash(Hash256 sum)
    {
        Span<byte> buffer = stackalloc byte[4 + Hash256.Size];
        "dir\0"u8.CopyTo(buffer);
        sum.WriteTo(buffer[4..]);
        return Hash256.Compute(buffer);
    }
}
