using LocalPachd.Storage;
using LocalPachd.Tree;
using Xunit.Abstractions;

namespace LocalPachd.Tests.Tree;

public sealed class TreeDiffTests : IDisposable
{
    private readonly string _directory = TestServer.NewDirectory();
    private readonly MetadataDb _db;
    private readonly Microsoft.Data.Sqlite.SqliteConnection _connection;
    private readonly NodeCache _cache = new(1 << 30);
    private readonly ITestOutputHelper _output;

    public TreeDiffTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_directory);
        _db = new MetadataDb(_directory, MetadataSynchronous.Normal); // tree logic, not durability: skip the per-commit WAL fsync
        _connection = _db.Open();
    }

    private TreeReader Reader => new(new NodeSource(_cache, _connection));

    private Hash256? Commit(Hash256? root, Action<TreeEditor> edit)
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

        return newRoot;
    }

    private static ChunkRef[] Chunk(string text) => [new ChunkRef(Hash256.Compute(System.Text.Encoding.UTF8.GetBytes(text)), text.Length)];

    private static string[] P(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private List<(string Path, string Kind)> Diff(Hash256? old, Hash256? @new, string oldScope = "/", string? newScope = null) =>
        new TreeDiff(Reader).Files(old, P(oldScope), @new, P(newScope ?? oldScope)).Select(Describe).ToList();

    private static (string Path, string Kind) Describe(FileChange change) =>
        (change.Path, change.Old is null ? "added" : change.New is null ? "deleted" : "changed");

    /// <summary>The reference answer: both trees walked in full, filtered by scope, compared path by path.</summary>
    private List<(string Path, string Kind)> BruteForce(Hash256? old, Hash256? @new, string oldScope, string newScope)
    {
        var before = Files(old, oldScope);
        var after = Files(@new, newScope);
        var result = new List<(string Path, string Kind)>();
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var inOld = before.TryGetValue(path, out var o);
            var inNew = after.TryGetValue(path, out var n);
            if (!inOld)
            {
                result.Add((path, "added"));
            }
            else if (!inNew)
            {
                result.Add((path, "deleted"));
            }
            else if (o != n)
            {
                result.Add((path, "changed"));
            }
        }

        return result;
    }

    private Dictionary<string, Hash256> Files(Hash256? root, string scope)
    {
        var prefix = "/" + string.Join('/', P(scope));
        var files = new Dictionary<string, Hash256>(StringComparer.Ordinal);
        if (root is null)
        {
            return files;
        }

        foreach (var (path, entry) in Reader.Walk(root.Value, "/", null, false, null))
        {
            if (!entry.IsDirectory && (prefix == "/" || path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal)))
            {
                files[path] = entry.Hash;
            }
        }

        return files;
    }

    [Fact]
    public void Files_AddChangeDeleteInNestedDirectories_PairsInPathOrder()
    {
        var old = Commit(null, e =>
        {
            foreach (var p in new[] { "keep/a", "d/x", "d/sub/y", "d/sub/z", "gone/g", "a-b", "a0" })
            {
                e.AppendFile(P(p), Chunk(p));
            }
        });
        var @new = Commit(old, e =>
        {
            e.DeleteFile(P("d/sub/y"));
            e.AppendFile(P("d/sub/y"), Chunk("changed"));
            e.DeleteFile(P("d/x"));
            e.DeleteDirectory(P("gone"));
            e.AppendFile(P("d/sub/new"), Chunk("new"));
            e.AppendFile(P("e/f/g"), Chunk("deep"));
            e.AppendFile(P("a"), Chunk("file next to a-b"));
        });

        Assert.Equal(
            [("/a", "added"), ("/d/sub/new", "added"), ("/d/sub/y", "changed"), ("/d/x", "deleted"), ("/e/f/g", "added"), ("/gone/g", "deleted")],
            Diff(old, @new));
        Assert.Equal([("/d/sub/new", "added"), ("/d/sub/y", "changed"), ("/d/x", "deleted")], Diff(old, @new, "/d"));
        Assert.Equal([("/d/sub/y", "changed")], Diff(old, @new, "/d/sub/y"));
        Assert.Empty(Diff(old, @new, "/keep"));
        Assert.Empty(Diff(old, @new, "/nowhere/at/all"));
        Assert.Empty(Diff(@new, @new));
        Assert.Equal(Diff(old, @new).ConvertAll(c => (c.Path, c.Kind switch { "added" => "deleted", "deleted" => "added", _ => c.Kind })), Diff(@new, old));
    }

    [Fact]
    public void Files_EmptySides_EverythingAddedOrDeleted()
    {
        var tree = Commit(null, e =>
        {
            e.AppendFile(P("x/1"), Chunk("1"));
            e.AppendFile(P("y"), Chunk("2"));
        });

        Assert.Equal([("/x/1", "added"), ("/y", "added")], Diff(null, tree));
        Assert.Equal([("/x/1", "deleted"), ("/y", "deleted")], Diff(tree, null));
        Assert.Empty(Diff(null, null));
    }

    [Fact]
    public void Files_FileAndDirectoryOfTheSameName_BothInScope()
    {
        var old = Commit(null, e => e.AppendFile(P("a"), Chunk("file")));
        var @new = Commit(old, e =>
        {
            e.AppendFile(P("a/inner"), Chunk("inner"));
            e.AppendFile(P("ab"), Chunk("outside the scope"));
        });

        Assert.Equal([("/a/inner", "added")], Diff(old, @new, "/a"));
        Assert.Equal([("/a", "deleted"), ("/a/inner", "added")], Diff(old, Commit(@new, e => e.DeleteFile(P("a"))), "/a"));
    }

    [Fact]
    public void Files_DifferentScopesOnEachSide_ComparedByFullPath()
    {
        var tree = Commit(null, e =>
        {
            e.AppendFile(P("d/x"), Chunk("x"));
            e.AppendFile(P("d/y"), Chunk("y"));
            e.AppendFile(P("other"), Chunk("o"));
        });
        var next = Commit(tree, e => e.AppendFile(P("d/y"), Chunk("more")));

        // Old side: the whole tree; new side: only /d. Same-content files are equal, the rest is one-sided.
        Assert.Equal([("/d/y", "changed"), ("/other", "deleted")], Diff(tree, next, "/", "/d"));
        Assert.Equal([("/d/x", "added"), ("/d/y", "added"), ("/other", "deleted")], Diff(tree, next, "/other", "/d"));
    }

    [Fact]
    public void Files_RandomEditsIncludingPagedDirectories_MatchBruteForce()
    {
        var random = new Random(20240611);
        string[] names = ["a", "a-b", "a.x", "a0", "b", "Z"];
        string RandomPath()
        {
            var depth = random.Next(1, 4);
            return string.Join('/', Enumerable.Range(0, depth).Select(_ => names[random.Next(names.Length)]));
        }

        var tree = Commit(null, e =>
        {
            for (var i = 0; i < 1500; i++)
            {
                e.AppendFile(["big", $"f{i:D4}"], Chunk($"{i}"));
            }

            for (var i = 0; i < 60; i++)
            {
                e.AppendFile(P(RandomPath()), Chunk($"{i}"));
            }
        });
        string[] scopes = ["/", "/big", "/a", "/a/a-b", "/b/Z", "/big/f0100", "/missing"];
        var seen = 0;
        for (var round = 0; round < 25; round++)
        {
            var next = Commit(tree, e =>
            {
                for (var i = random.Next(0, 300); i > 0; i--)
                {
                    var n = random.Next(2000);
                    if (random.Next(3) == 0)
                    {
                        e.DeleteFile(["big", $"f{n:D4}"]);
                    }
                    else
                    {
                        e.AppendFile(["big", $"f{n:D4}"], Chunk($"r{round}"));
                    }
                }

                for (var i = random.Next(0, 8); i > 0; i--)
                {
                    switch (random.Next(4))
                    {
                        case 0:
                            e.DeleteDirectory(P(RandomPath()));
                            break;
                        case 1:
                            e.DeleteFile(P(RandomPath()));
                            break;
                        default:
                            e.AppendFile(P(RandomPath()), Chunk($"r{round}"));
                            break;
                    }
                }
            });

            foreach (var scope in scopes)
            {
                var expected = BruteForce(tree, next, scope, scope);
                Assert.Equal(expected, Diff(tree, next, scope));
                seen += expected.Count;
            }

            var otherScope = scopes[random.Next(scopes.Length)];
            Assert.Equal(BruteForce(tree, next, "/", otherScope), Diff(tree, next, "/", otherScope));
            tree = next;
        }

        Assert.True(seen > 1000, $"only {seen} changes were compared");
        Assert.True(Reader.Source.Load(Reader.Lookup(tree, ["big"])!.Ref).IsIndex);
    }

    [Fact]
    public void Files_OneChangeAmong20000Files_ReadsOnlyTheChangedPath()
    {
        // 20 directories of 1,000 files (each paged) under /t, and one flat directory of 20,000 files.
        var old = Commit(null, e =>
        {
            for (var i = 0; i < 20000; i++)
            {
                e.AppendFile(["t", $"d{i / 1000:D2}", $"f{i % 1000:D4}"], Chunk("x"));
                e.AppendFile(["flat", $"f{i:D5}"], Chunk("x"));
            }
        });
        var nested = Commit(old, e => e.AppendFile(["t", "d07", "f0500"], Chunk("y")));
        var flat = Commit(old, e => e.AppendFile(["flat", "f12345"], Chunk("y")));

        var (nestedChanges, nestedLoads) = ColdDiff(old, nested);
        var (flatChanges, flatLoads) = ColdDiff(old, flat);
        var walkLoads = ColdWalk(nested);
        _output.WriteLine($"node loads: nested change {nestedLoads}, flat change {flatLoads}; full walk of one tree {walkLoads}");

        Assert.Equal([("/t/d07/f0500", "changed")], nestedChanges);
        Assert.Equal([("/flat/f12345", "changed")], flatChanges);
        // Per side: the root, /t/ (or /flat/) as index + one page, and the changed directory's index + one page.
        Assert.InRange(nestedLoads, 1, 16);
        Assert.InRange(flatLoads, 1, 16);
        Assert.True(walkLoads > 100, $"a full walk reads {walkLoads} nodes");
    }

    private (List<(string Path, string Kind)> Changes, int Loads) ColdDiff(Hash256? old, Hash256? @new)
    {
        var source = new NodeSource(new NodeCache(1 << 30), _connection);
        var changes = new TreeDiff(new TreeReader(source)).Files(old, [], @new, []).Select(Describe).ToList();
        return (changes, source.Loads);
    }

    private int ColdWalk(Hash256? root)
    {
        var source = new NodeSource(new NodeCache(1 << 30), _connection);
        _ = new TreeReader(source).Walk(root!.Value, "/", null, false, null).Count();
        return source.Loads;
    }

    public void Dispose()
    {
        _connection.Dispose();
        _db.Dispose();
        TestServer.TryDelete(_directory);
    }
}
