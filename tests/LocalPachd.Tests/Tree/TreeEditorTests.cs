using LocalPachd.Storage;
using LocalPachd.Tree;

namespace LocalPachd.Tests.Tree;

public sealed class TreeEditorTests : IDisposable
{
    private readonly string _directory = TestServer.NewDirectory();
    private readonly MetadataDb _db;
    private readonly Microsoft.Data.Sqlite.SqliteConnection _connection;
    private readonly NodeCache _cache = new(1 << 30);

    public TreeEditorTests()
    {
        Directory.CreateDirectory(_directory);
        _db = new MetadataDb(_directory, MetadataSynchronous.Normal); // tree logic, not durability: skip the per-commit WAL fsync
        _connection = _db.Open();
    }

    private TreeReader Reader => new(new NodeSource(_cache, _connection));

    private (Hash256? Root, int NewNodes) Commit(Hash256? root, Action<TreeEditor> edit)
    {
        var editor = new TreeEditor(Reader, root);
        edit(editor);
        var (newRoot, _) = editor.Fold();
        foreach (var (id, node) in editor.NewNodes)
        {
            _connection.Execute("INSERT OR IGNORE INTO nodes(id, data) VALUES ($id, $d)", ("$id", id.ToArray()), ("$d", node.Bytes));
        }

        foreach (var content in editor.NewContents.Values)
        {
            _connection.Execute("INSERT OR IGNORE INTO contents(id, size, chunks) VALUES ($id, $s, $c)", ("$id", content.Id.ToArray()), ("$s", content.Size), ("$c", content.EncodeChunks()));
        }

        return (newRoot, editor.NewNodes.Count);
    }

    private static ChunkRef[] Chunk(string text) => [new ChunkRef(Hash256.Compute(System.Text.Encoding.UTF8.GetBytes(text)), text.Length)];

    private List<string> WalkAll(Hash256? root) =>
        root is null ? [] : Reader.Walk(root.Value, "/", null, false, null).Select(x => x.Path).ToList();

    [Fact]
    public void Fold_LargeDirectory_SplitsIntoBoundedPages()
    {
        var (root, _) = Commit(null, e =>
        {
            for (var i = 0; i < 5000; i++)
            {
                e.AppendFile(["dir", $"f{i:D5}"], Chunk("x"));
            }
        });

        var dir = Reader.Lookup(root, ["dir"])!;
        var node = Reader.Source.Load(dir.Ref);
        Assert.True(node.IsIndex);
        Assert.All(node.Pages, p => Assert.InRange(p.Count, 64, TreeEditor.MaxLeaf));
        Assert.Equal(5000, node.Count);
        Assert.Equal(5000, dir.Size);
    }

    [Fact]
    public void AppendFile_IntoLargeDirectory_RewritesOnlyPageIndexAndAncestors()
    {
        var (root, _) = Commit(null, e =>
        {
            for (var i = 0; i < 20000; i++)
            {
                e.AppendFile(["a", "dir", $"f{i:D5}"], Chunk("x"));
            }
        });

        var (next, newNodes) = Commit(root, e => e.AppendFile(["a", "dir", "f10000x"], Chunk("y")));
        // One page, the directory's index, "/a/" and the root.
        Assert.Equal(4, newNodes);
        Assert.Equal(20001, Reader.Children(Reader.Lookup(next, ["a", "dir"])!.Ref, null, false, false).Count());
    }

    [Fact]
    public void DeleteFiles_UntilSmall_CollapsesBackToLeaf()
    {
        var (root, _) = Commit(null, e =>
        {
            for (var i = 0; i < 1000; i++)
            {
                e.AppendFile(["d", $"f{i:D4}"], Chunk("x"));
            }
        });

        var (next, _) = Commit(root, e =>
        {
            for (var i = 0; i < 900; i++)
            {
                e.DeleteFile(["d", $"f{i:D4}"]);
            }
        });

        var dir = Reader.Lookup(next, ["d"])!;
        Assert.False(Reader.Source.Load(dir.Ref).IsIndex);
        Assert.Equal(100, dir.Size);
    }

    [Fact]
    public void DirectoryHash_IndependentOfPagingAndHistory()
    {
        var names = Enumerable.Range(0, 1500).Select(i => $"f{i:D4}").ToList();
        var (oneShot, _) = Commit(null, e => names.ForEach(n => e.AppendFile(["d", n], Chunk(n))));
        Hash256? incremental = null;
        foreach (var batch in names.Chunk(100).Reverse())
        {
            (incremental, _) = Commit(incremental, e =>
            {
                foreach (var n in batch)
                {
                    e.AppendFile(["d", n], Chunk(n));
                }
            });
        }

        Assert.Equal(Reader.Lookup(oneShot, ["d"])!.Hash, Reader.Lookup(incremental, ["d"])!.Hash);
        Assert.Equal(WalkAll(oneShot), WalkAll(incremental));
    }

    [Fact]
    public void Walk_IsLexicographicFullPathOrder()
    {
        string[] paths = ["a/b", "a-b", "a0", "a/c/d", "b", "a.x", "A"];
        var (root, _) = Commit(null, e =>
        {
            foreach (var p in paths)
            {
                e.AppendFile(p.Split('/'), Chunk(p));
            }
        });

        var expected = new List<string> { "/A", "/a-b", "/a.x", "/a/", "/a/b", "/a/c/", "/a/c/d", "/a0", "/b" };
        Assert.Equal(expected, WalkAll(root));
        var sorted = expected.ToList();
        sorted.Sort(StringComparer.Ordinal);
        Assert.Equal(sorted, expected);
    }

    [Fact]
    public void Walk_FromMarker_SeeksWithoutMissingEntries()
    {
        var (root, _) = Commit(null, e =>
        {
            for (var i = 0; i < 700; i++)
            {
                e.AppendFile(["p", $"{i:D3}", "x"], Chunk("x"));
            }
        });

        var all = WalkAll(root);
        foreach (var marker in new[] { "/p/350/", "/p/350/x", "/p/", "/p/699/x", "/0", "/q" })
        {
            var expected = all.Where(p => string.CompareOrdinal(p, marker) > 0).ToList();
            var actual = Reader.Walk(root!.Value, "/", marker, false, null).Select(x => x.Path).ToList();
            Assert.Equal(expected, actual);
            var reverseExpected = all.Where(p => string.CompareOrdinal(p, marker) < 0).Reverse().ToList();
            Assert.Equal(reverseExpected, Reader.WalkReverse(root.Value, "/", marker).Select(x => x.Path).ToList());
        }
    }

    [Fact]
    public void Hash256_Add_CarriesAcrossWords()
    {
        var max = Hash256.FromHex("00000000000000000000000000000000ffffffffffffffffffffffffffffffff");
        var one = Hash256.FromHex("0000000000000000000000000000000000000000000000000000000000000001");
        Assert.Equal("0000000000000000000000000000000100000000000000000000000000000000", max.Add(one).ToHex());
        var all = Hash256.FromHex(new string('f', 64));
        Assert.Equal(new string('0', 64), all.Add(one).ToHex());
    }

    public void Dispose()
    {
        _connection.Dispose();
        _db.Dispose();
        TestServer.TryDelete(_directory);
    }
}
