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

    /// <summary>
    /// The node's encoding (what <see cref="Decode"/> reads; BinaryWriter's format: 7-bit encoded counts and sizes,
    /// strings as a 7-bit encoded UTF-8 length and the bytes), written into one array of the exact length.
    /// </summary>
    public byte[] Encode()
    {
        var length = 1 + VarIntLength((uint)(IsIndex ? Pages.Length : Entries.Length));
        if (IsIndex)
        {
            foreach (var page in Pages)
            {
                length += StringLength(page.FirstName) + Hash256.Size + VarIntLength((uint)page.Count) + VarIntLength((ulong)page.Size) + Hash256.Size;
            }
        }
        else
        {
            foreach (var entry in Entries)
            {
                length += StringLength(entry.Name) + 1 + VarIntLength((ulong)entry.Size) + (entry.IsDirectory ? 2 * Hash256.Size : Hash256.Size);
            }
        }

        var bytes = new byte[length];
        var span = bytes.AsSpan();
        span[0] = IsIndex ? _indexKind : _leafKind;
        var at = 1;
        if (IsIndex)
        {
            WriteVarInt(span, ref at, (uint)Pages.Length);
            foreach (var page in Pages)
            {
                WriteString(span, ref at, page.FirstName);
                page.Page.WriteTo(span.Slice(at, Hash256.Size));
                at += Hash256.Size;
                WriteVarInt(span, ref at, (uint)page.Count);
                WriteVarInt(span, ref at, (ulong)page.Size);
                page.Sum.WriteTo(span.Slice(at, Hash256.Size));
                at += Hash256.Size;
            }
        }
        else
        {
            WriteVarInt(span, ref at, (uint)Entries.Length);
            foreach (var entry in Entries)
            {
                WriteString(span, ref at, entry.Name);
                span[at++] = entry.IsDirectory ? (byte)1 : (byte)0;
                WriteVarInt(span, ref at, (ulong)entry.Size);
                entry.Hash.WriteTo(span.Slice(at, Hash256.Size));
                at += Hash256.Size;
                if (entry.IsDirectory)
                {
                    entry.Ref.WriteTo(span.Slice(at, Hash256.Size));
                    at += Hash256.Size;
                }
            }
        }

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

    private static int StringLength(string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(value);
        return VarIntLength((uint)bytes) + bytes;
    }

    private static int VarIntLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    private static void WriteString(Span<byte> span, ref int at, string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteVarInt(span, ref at, (uint)bytes);
        at += System.Text.Encoding.UTF8.GetBytes(value, span[at..]);
    }

    private static void WriteVarInt(Span<byte> span, ref int at, ulong value)
    {
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[at++] = (byte)value;
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
