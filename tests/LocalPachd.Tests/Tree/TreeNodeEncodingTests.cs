using System.Text;
using LocalPachd.Storage;
using LocalPachd.Tree;

namespace LocalPachd.Tests.Tree;

/// <summary>
/// <see cref="TreeNode.Encode"/> writes exactly the bytes nodes stored by earlier versions have (BinaryWriter's
/// format, reproduced here as it was written), so stored trees keep their ids and still decode.
/// </summary>
public sealed class TreeNodeEncodingTests
{
    private static readonly string[] _names =
    [
        "a", "a-b", "a/", "caf\u00e9.txt", "\u65e5\u672c/", "\ud83d\ude00.bin", "lone-\ud800-surrogate",
        new string('x', 127), new string('y', 128), new string('\u00e9', 9000),
    ];

    [Fact]
    public void LeafEncodingIsBinaryWritersFormat()
    {
        var entries = _names.Order(StringComparer.Ordinal).Select((name, i) => new TreeEntry(
            name, name.EndsWith('/'), i == 0 ? 0 : 1L << (7 * i), Hash(name), name.EndsWith('/') ? Hash("ref " + name) : Hash(name))).ToArray();
        var node = TreeNode.Leaf(entries);

        var encoded = node.Encode();

        Assert.Equal(Reference(node), encoded);
        Assert.Equal(encoded.Length, node.EncodedLength);
        Assert.Equal(encoded, TreeNode.Decode(encoded).Encode());
    }

    [Fact]
    public void IndexEncodingIsBinaryWritersFormat()
    {
        var pages = _names.Order(StringComparer.Ordinal).Select((name, i) => new PageRef(name, Hash(name), 64 + (i * 50), (1L << (5 * i)) + 3, Hash("sum " + name))).ToArray();
        var node = TreeNode.Index(pages);

        var encoded = node.Encode();

        Assert.Equal(Reference(node), encoded);
        Assert.Equal(encoded, TreeNode.Decode(encoded).Encode());
    }

    [Fact]
    public void EmptyLeafEncodes() => Assert.Equal(Reference(TreeNode.Leaf([])), TreeNode.Leaf([]).Encode());

    private static Hash256 Hash(string text) => Hash256.Compute(Encoding.UTF8.GetBytes(text));

    /// <summary>The encoder as it was before it wrote into an array of the exact length.</summary>
    private static byte[] Reference(TreeNode node)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            Span<byte> hash = stackalloc byte[Hash256.Size];
            writer.Write(node.IsIndex ? (byte)2 : (byte)1);
            if (node.IsIndex)
            {
                writer.Write7BitEncodedInt(node.Pages.Length);
                foreach (var page in node.Pages)
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
                writer.Write7BitEncodedInt(node.Entries.Length);
                foreach (var entry in node.Entries)
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

        return memory.ToArray();
    }
}
