using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using LocalPachd.Pfs;
using LocalPachd.Storage;
using LocalPachd.Tree;
using static LocalPachd.Tests.TestServer;

namespace LocalPachd.Tests.Storage;

public sealed class DurabilityAndGcTests
{
    private static int ChunkFileCount(string dataDirectory) =>
        Directory.EnumerateFiles(Path.Combine(dataDirectory, "chunks"), "*", SearchOption.AllDirectories).Count();

    private static long Count(LocalPachdServer server, string table)
    {
        using var connection = server.Store.Db.Open();
        return (long)connection.Scalar($"SELECT COUNT(*) FROM {table}")!;
    }

    [Fact]
    public async Task DeleteRepo_Collect_ReclaimsChunksNodesAndContents()
    {
        await using var server = await StartAsync(configure: o => o.ChunkSize = 64 * 1024);
        await server.CreateRepoAsync("keep");
        await server.CreateRepoAsync("drop");
        var shared = new byte[100 * 1024];
        Random.Shared.NextBytes(shared);
        var unique = new byte[300 * 1024];
        Random.Shared.NextBytes(unique);
        await server.ModifyAsync(Head("keep"), Add("/shared", shared));
        await server.ModifyAsync(Head("drop"), Add("/shared", shared), Add("/unique", unique), Add("/dir/x", "x"));
        var before = ChunkFileCount(server.DataDirectory);

        await server.Pfs.DeleteRepoAsync(new DeleteRepoRequest { Repo = Repo("drop") });
        var result = await server.Server.CollectGarbageAsync();

        Assert.True(result.Chunks > 0 && result.Nodes > 0 && result.Contents > 0);
        Assert.Equal(before - result.ChunkFilesDeleted, ChunkFileCount(server.DataDirectory));
        Assert.Equal(2, ChunkFileCount(server.DataDirectory)); // the shared file's two 64 KiB chunks remain
        var kept = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("keep"), "/shared") });
        Assert.Equal(shared.Length, kept.SizeBytes);

        await server.Pfs.DeleteRepoAsync(new DeleteRepoRequest { Repo = Repo("keep") });
        await server.Server.CollectGarbageAsync();
        Assert.Equal(0, ChunkFileCount(server.DataDirectory));
        Assert.Equal(0, Count(server.Server, "nodes"));
        Assert.Equal(0, Count(server.Server, "contents"));
        Assert.Equal(0, Count(server.Server, "chunks"));
    }

    [Fact]
    public async Task BackgroundCollector_AfterDeleteRepo_ReclaimsSpace()
    {
        await using var server = await StartAsync(configure: o => o.BackgroundGarbageCollection = true);
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"), Add("/a", new byte[200 * 1024]), Add("/small", "inline"));
        Assert.Equal(1, ChunkFileCount(server.DataDirectory));
        Assert.Equal(2, Count(server.Server, "chunks"));
        await server.Pfs.DeleteRepoAsync(new DeleteRepoRequest { Repo = Repo("r") });
        await Poll.UntilAsync(() => ChunkFileCount(server.DataDirectory) == 0 && Count(server.Server, "chunks") == 0);
    }

    [Fact]
    public async Task OpenCommitRewrites_Collect_KeepsOnlyLiveTree()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.Pfs.StartCommitAsync(new StartCommitRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } });
        await server.ModifyAsync(Head("r"), Add("/a", "first version"));
        await server.ModifyAsync(Head("r"), Delete("/a"), Add("/a", "second"));
        await server.Server.CollectGarbageAsync();
        Assert.Equal(1, Count(server.Server, "chunks"));
        Assert.Equal(1, Count(server.Server, "contents"));
        Assert.Equal("second", await server.GetTextAsync(Head("r"), "/a"));
    }

    [Fact]
    public async Task Restart_ReadsEverythingBack()
    {
        var directory = NewDirectory();
        try
        {
            string finishedId;
            string openId;
            var big = new byte[3 * 1024 * 1024 + 7];
            Random.Shared.NextBytes(big);
            await using (var first = await StartAsync(directory))
            {
                await first.CreateRepoAsync("r");
                await first.ModifyAsync(Head("r"), Add("/big", big), Add("/d/x", "x"), Add("/d/y", "y"));
                finishedId = (await first.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } })).Head.Id;
                openId = (await first.Pfs.StartCommitAsync(new StartCommitRequest { Branch = new Branch { Repo = Repo("r"), Name = "dev" } })).Id;
                await first.ModifyAsync(Head("r", "dev"), Add("/wip", "in progress"));
            }

            await using var second = await StartAsync(directory);
            Assert.Equal("x", await second.GetTextAsync(ById("r", finishedId), "/d/x"));
            Assert.Equal("in progress", await second.GetTextAsync(Head("r", "dev"), "/wip"));
            using var call = second.Pfs.GetFile(new GetFileRequest { File = File(Head("r"), "/big") });
            var received = new List<byte>();
            await foreach (var chunk in call.ResponseStream.ReadAllAsync())
            {
                received.AddRange(chunk.Value);
            }

            Assert.True(big.AsSpan().SequenceEqual(received.ToArray()));
            var open = await second.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById("r", openId) });
            Assert.Null(open.Finished);
            await second.Pfs.FinishCommitAsync(new FinishCommitRequest { Commit = Head("r", "dev") });
            await second.PutAsync("r", "/after-restart", "ok");
            Assert.Equal(["/after-restart", "/big", "/d/"], (await second.ListAsync(Head("r"), "/")).ConvertAll(f => f.File.Path));
        }
        finally
        {
            TryDelete(directory);
        }
    }

    [Fact]
    public async Task Start_RemovesTempFilesAndOrphanChunks()
    {
        var directory = NewDirectory();
        try
        {
            await using (var first = await StartAsync(directory))
            {
                await first.CreateRepoAsync("r");
                await first.PutAsync("r", "/kept", "kept");
            }

            var orphan = Hash256.Compute("never committed"u8);
            var hex = orphan.ToHex();
            var orphanPath = Path.Combine(directory, "chunks", hex[..2], hex[2..4], hex);
            Directory.CreateDirectory(Path.GetDirectoryName(orphanPath)!);
            await System.IO.File.WriteAllTextAsync(orphanPath, "never committed");
            var temp = Path.Combine(directory, "tmp", "crashed.part");
            await System.IO.File.WriteAllTextAsync(temp, "half");

            await using var second = await StartAsync(directory);
            Assert.False(System.IO.File.Exists(orphanPath));
            Assert.False(System.IO.File.Exists(temp));
            Assert.Equal("kept", await second.GetTextAsync(Head("r"), "/kept"));
        }
        finally
        {
            TryDelete(directory);
        }
    }

    [Fact]
    public async Task Listing_AfterThousandCommits_ReadsSameNodes()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"), [.. Enumerable.Range(0, 1200).Select(i => AddEmpty($"/data/f{i:D4}"))]);
        var (readsBefore, nodeBefore) = ListDataWithColdCache(server);

        for (var i = 0; i < 1000; i++)
        {
            await server.ModifyAsync(Head("r"), Add($"/other/g{i % 50}", "v"));
        }

        var (readsAfter, nodeAfter) = ListDataWithColdCache(server);
        Assert.Equal(nodeBefore, nodeAfter); // the untouched directory is the very same immutable node
        Assert.Equal(readsBefore, readsAfter); // and listing it reads the same number of nodes
        using var connection = server.Server.Store.Db.Open();
        Assert.Equal(1002L, (long)connection.Scalar("SELECT COUNT(*) FROM commits")!);
    }

    private static (int Reads, Hash256 DataNode) ListDataWithColdCache(TestServer server)
    {
        using var connection = server.Server.Store.Db.Open();
        var store = server.Server.Store;
        var source = new NodeSource(new NodeCache(1 << 30), connection);
        var reader = new TreeReader(source);
        var repo = store.GetRepo(connection, new RepoKey("default", "r", "user"));
        var commit = store.ResolveCommit(connection, repo, Head("r"));
        var data = reader.Lookup(commit.Root, ["data"])!;
        var listed = reader.Children(data.Ref, null, false, false).Count();
        Assert.Equal(1200, listed);
        return (source.DatabaseReads, data.Ref);
    }
}
