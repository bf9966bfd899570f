using System.Runtime.CompilerServices;
using LocalPachd.Storage;

namespace LocalPachd.Tree;

/// <summary>
/// An immutable directory node: either a leaf (a sorted page of entries) or an index over sorted leaf pages
/// (large directories). Nodes are content-addressed by the SHA-256 of their encoding and shared between commits.
/// </summary>
internal sealed class TreeNode
{
    private const byte _leafKind = 1;
    private const byte _indexKind = 2;
    // Boxed so that publishing the lazily computed sum to other threads is atomic.
    private StrongBox<Hash256>? _sum;

    private TreeNode(TreeEntry[]? entries, PageRef[]? pages)
    {
        Entries = entries ?? [];
        Pages = pages ?? [];
        IsIndex = pages is not null;
        if (IsIndex)
        {
            foreach (var page in Pages)
            {
                Count += page.Count;
                Size += page.Size;
            }
        }
        else
        {
            Count = Entries.Length;
            foreach (var entry in Entries)
            {
                Size += entry.Size;
            }
        }
    }

    public bool IsIndex { get; }

    public TreeEntry[] Entries { get; }

    public PageRef[] Pages { get; }

    public int Count { get; }

    public long Size { get; }

    public int EncodedLength { get; private set; }

    /// <summary>Sum of the entries' contributions (computed lazily: listing never needs it).</summary>
    public Hash256 Sum => (_sum ??= new StrongBox<Hash256>(ComputeSum())).Value;

    public static TreeNode Leaf(TreeEntry[] entries) => new(entries, null);

    public static TreeNode Index(PageRef[] pages) => new(null, pages);

    /// <summary>Index of the page that holds (or would hold) <paramref name="name"/>.</summary>
    public int FindPage(string name)
    {
        int lo = 0, hi = Pages.Length - 1, found = 0;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(Pages[mid].FirstName, name) <= 0)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    /// <summary>Index of the first leaf entry whose name is &gt;= <paramref name="name"/> (binary search).</summary>
    public int LowerBound(string name)
    {
        int lo = 0, hi = Entries.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(Entries[mid].Name, name) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public byte[] Encode()
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            Span<byte> hash = stackalloc byte[Hash256.Size];
            writer.Write(IsIndex ? _indexKind : _leafKind);
            if (IsIndex)
            {
                writer.Write7BitEncodedInt(Pages.Length);
                foreach (var page in Pages)
                {
                    writer.Write(page.FirstName);
                    page.Page.WriteTo(hash);
                    writer.Write(hash);
                    writer.Write7BitEncodedInt(page.Count);
                    writer.Write7BitEncodedInt64(page.Size);
                    page.Sum.WriteTo(hash);
                    writer.Write(hash);
                }
            }
            else
            {
                writer.Write7BitEncodedInt(Entries.Length);
                foreach (var entry in Entries)
                {
                    writer.Write(entry.Name);
                    writer.Write(entry.IsDirectory);
                    writer.Write7BitEncodedInt64(entry.Size);
                    entry.Hash.WriteTo(hash);
                    writer.Write(hash);
                    if (entry.IsDirectory)
                    {
                        entry.Ref.WriteTo(hash);
                        writer.Write(hash);
                    }
                }
            }
        }

        var bytes = memory.ToArray();
        EncodedLength = bytes.Length;
        return bytes;
    }

    public static TreeNode Decode(byte[] data)
    {
        using var memory = new MemoryStream(data, writable: false);
        using var reader = new BinaryReader(memory, System.Text.Encoding.UTF8);
        Span<byte> hash = stackalloc byte[Hash256.Size];
        var kind = reader.ReadByte();
        var count = reader.Read7BitEncodedInt();
        TreeNode node;
        if (kind == _indexKind)
        {
            var pages = new PageRef[count];
            for (var i = 0; i < count; i++)
            {
                var first = reader.ReadString();
                reader.ReadExactly(hash);
                var page = Hash256.FromSpan(hash);
                var n = reader.Read7BitEncodedInt();
                var size = reader.Read7BitEncodedInt64();
                reader.ReadExactly(hash);
                pages[i] = new PageRef(first, page, n, size, Hash256.FromSpan(hash));
            }

            node = Index(pages);
        }
        else
        {
            var entries = new TreeEntry[count];
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var isDirectory = reader.ReadBoolean();
                var size = reader.Read7BitEncodedInt64();
                reader.ReadExactly(hash);
                var entryHash = Hash256.FromSpan(hash);
                var reference = entryHash;
                if (isDirectory)
                {
                    reader.ReadExactly(hash);
                    reference = Hash256.FromSpan(hash);
                }

                entries[i] = new TreeEntry(name, isDirectory, size, entryHash, reference);
            }

            node = Leaf(entries);
        }

        node.EncodedLength = data.Length;
        return node;
    }

    private Hash256 ComputeSum()
    {
        var sum = default(Hash256);
        if (IsIndex)
        {
            foreach (var page in Pages)
            {
                sum = sum.Add(page.Sum);
            }
        }
        else
        {
            foreach (var entry in Entries)
            {
                sum = sum.Add(entry.Contribution);
            }
        }

        return sum;
    }
}
