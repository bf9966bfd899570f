using System.Security.Cryptography;
using Gateway.Pachyderm.Protos.Auth;
using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using LocalPachd.Storage;
using static LocalPachd.Tests.TestServer;

namespace LocalPachd.Tests.Server;

/// <summary>pfs_v2.SquashCommit: the commit goes, its children keep their content and take its parent.</summary>
public sealed class SquashCommitTests
{
    private const string _noChildren = "cannot squash a commit that has no children as that would cause data loss, use the drop operation instead: ";

    private static Metadata Token(string token) => new() { { "authn-token", token } };

    private static Branch BranchOf(string repo, string name) => new() { Repo = Repo(repo), Name = name };

    private static Task SquashAsync(TestServer server, Commit commit, Metadata? headers = null) =>
        server.Pfs.SquashCommitAsync(new SquashCommitRequest { Commit = commit }, headers).ResponseAsync;

    private static async Task<string> HeadIdAsync(TestServer server, string repo, string branch = "master") =>
        (await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = BranchOf(repo, branch) })).Head.Id;

    private static Task<CommitInfo> InspectAsync(TestServer server, string repo, string id) =>
        server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById(repo, id) }).ResponseAsync;

    private static async Task<List<string>> CommitIdsAsync(TestServer server, string repo)
    {
        using var call = server.Pfs.ListCommit(new ListCommitRequest { Repo = Repo(repo) });
        return (await call.ResponseStream.ReadAllAsync().ToListAsync()).ConvertAll(c => c.Commit.Id);
    }

    /// <summary>Every file and directory of a commit, in path order.</summary>
    private static Task<List<string>> PathsAsync(TestServer server, Commit commit) => server.GlobAsync(commit, "/**");

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Where LocalPachd keeps the chunk file of a one-chunk file: chunks/ab/cd/&lt;sha256 of the bytes&gt;.</summary>
    private static string ChunkFilePath(string dataDirectory, byte[] content)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(content));
        return Path.Combine(dataDirectory, "chunks", hex[..2], hex[2..4], hex);
    }

    [Fact]
    public async Task Squash_MiddleCommit_ChildKeepsEveryFileAndTakesTheGrandparent()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        var big = RandomBytes(200 * 1024);
        await server.ModifyAsync(Head("r"), Add("/big", big), Add("/a", "one"));
        var grandparent = await HeadIdAsync(server, "r");
        await server.ModifyAsync(Head("r"), Delete("/a"), Add("/a", "two"), Add("/only-in-middle", "m"), Add("/dir/x", "x"));
        var middle = await HeadIdAsync(server, "r");
        await server.ModifyAsync(Head("r"), Delete("/only-in-middle"), Add("/new", "three"));
        var child = await HeadIdAsync(server, "r");
        var root = (await CommitIdsAsync(server, "r"))[^1];

        await SquashAsync(server, ById("r", middle));

        // The child reads what the squashed commit wrote, byte for byte.
        Assert.Equal(["/a", "/big", "/dir/", "/dir/x", "/new"], await PathsAsync(server, ById("r", child)));
        Assert.Equal("two", await server.GetTextAsync(ById("r", child), "/a"));
        Assert.Equal("x", await server.GetTextAsync(ById("r", child), "/dir/x"));
        Assert.Equal("three", await server.GetTextAsync(ById("r", child), "/new"));
        Assert.Equal(big, await server.GetBytesAsync(ById("r", child), "/big"));
        // The grandparent is untouched and now the child's parent.
        Assert.Equal("one", await server.GetTextAsync(ById("r", grandparent), "/a"));
        Assert.Equal(grandparent, (await InspectAsync(server, "r", child)).ParentCommit.Id);
        Assert.Equal([child], (await InspectAsync(server, "r", grandparent)).ChildCommits.Select(c => c.Id));
        Assert.Equal([child, grandparent, root], await CommitIdsAsync(server, "r"));
        Assert.Equal(child, await HeadIdAsync(server, "r"));
        Assert.Equal(["/a", "/big"], await PathsAsync(server, ById("r", "master^")));
        var gone = await ThrowsRpcAsync(StatusCode.NotFound, () => InspectAsync(server, "r", middle));
        Assert.Equal($"commit default/r@{middle} not found", gone.Status.Detail);
        await ThrowsRpcAsync(StatusCode.NotFound, () => server.GetTextAsync(ById("r", middle), "/a"));
    }

    [Fact]
    public async Task Squash_RootCommit_ChildHasNoParentAndABranchOnTheRootGetsANewEmptyCommit()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        var root = await HeadIdAsync(server, "r");
        await server.Pfs.CreateBranchAsync(new CreateBranchRequest { Branch = BranchOf("r", "start"), Head = ById("r", root) });
        await server.PutAsync("r", "/f", "1");
        var first = await HeadIdAsync(server, "r");
        await server.PutAsync("r", "/f", "2");
        var second = await HeadIdAsync(server, "r");

        await SquashAsync(server, ById("r", root));

        var info = await InspectAsync(server, "r", first);
        Assert.Null(info.ParentCommit);
        Assert.Equal([second], info.ChildCommits.Select(c => c.Id));
        Assert.Equal("1", await server.GetTextAsync(ById("r", first), "/f"));
        Assert.Equal("2", await server.GetTextAsync(Head("r"), "/f"));
        await ThrowsRpcAsync(StatusCode.NotFound, () => InspectAsync(server, "r", root));
        // pachd gives a branch whose head was a commit without parent a new, empty, finished commit.
        var start = await HeadIdAsync(server, "r", "start");
        Assert.DoesNotContain(start, new[] { root, first, second });
        var empty = await InspectAsync(server, "r", start);
        Assert.Null(empty.ParentCommit);
        Assert.Empty(empty.ChildCommits);
        Assert.NotNull(empty.Finished);
        Assert.Empty(await server.ListAsync(Head("r", "start"), "/"));
        Assert.Equal([second, first], (await CommitIdsAsync(server, "r")).Where(id => id != start));
    }

    [Fact]
    public async Task Squash_CommitWithTwoChildren_BothKeepTheirContentAndTakeItsParent()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.PutAsync("r", "/base", "b");
        var parent = await HeadIdAsync(server, "r");
        await server.PutAsync("r", "/shared", "s");
        var squashed = await HeadIdAsync(server, "r");
        await server.Pfs.CreateBranchAsync(new CreateBranchRequest { Branch = BranchOf("r", "dev"), Head = ById("r", squashed) });
        await server.PutAsync("r", "/m", "on master");
        var onMaster = await HeadIdAsync(server, "r");
        await server.PutAsync("r", "/d", "on dev", "dev");
        var onDev = await HeadIdAsync(server, "r", "dev");

        await SquashAsync(server, ById("r", squashed));

        Assert.Equal(["/base", "/m", "/shared"], await PathsAsync(server, ById("r", onMaster)));
        Assert.Equal(["/base", "/d", "/shared"], await PathsAsync(server, ById("r", onDev)));
        Assert.Equal("s", await server.GetTextAsync(ById("r", onMaster), "/shared"));
        Assert.Equal("s", await server.GetTextAsync(ById("r", onDev), "/shared"));
        Assert.Equal("on dev", await server.GetTextAsync(Head("r", "dev"), "/d"));
        Assert.Equal(parent, (await InspectAsync(server, "r", onMaster)).ParentCommit.Id);
        Assert.Equal(parent, (await InspectAsync(server, "r", onDev)).ParentCommit.Id);
        Assert.Equal([onMaster, onDev], (await InspectAsync(server, "r", parent)).ChildCommits.Select(c => c.Id));
        await ThrowsRpcAsync(StatusCode.NotFound, () => InspectAsync(server, "r", squashed));
    }

    [Fact]
    public async Task Squash_BranchHeadOnTheCommit_MovesToItsParent()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.PutAsync("r", "/f", "1");
        var one = await HeadIdAsync(server, "r");
        await server.PutAsync("r", "/f", "2");
        var two = await HeadIdAsync(server, "r");
        await server.PutAsync("r", "/f", "3");
        var three = await HeadIdAsync(server, "r");
        await server.Pfs.CreateBranchAsync(new CreateBranchRequest { Branch = BranchOf("r", "pin"), Head = ById("r", two) });

        await SquashAsync(server, ById("r", two));

        Assert.Equal(one, await HeadIdAsync(server, "r", "pin"));
        Assert.Equal("1", await server.GetTextAsync(Head("r", "pin"), "/f"));
        Assert.Equal(three, await HeadIdAsync(server, "r"));
        Assert.Equal("3", await server.GetTextAsync(Head("r"), "/f"));
        Assert.Equal(one, (await InspectAsync(server, "r", three)).ParentCommit.Id);
    }

    [Fact]
    public async Task Squash_CommitWithoutChildren_RefusedAndNothingChanges()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.PutAsync("r", "/f", "1");
        await server.PutAsync("r", "/f", "2");
        var head = await HeadIdAsync(server, "r");
        var before = await CommitIdsAsync(server, "r");

        var byId = await ThrowsRpcAsync(StatusCode.Unknown, () => SquashAsync(server, ById("r", head)));
        var byBranch = await ThrowsRpcAsync(StatusCode.Unknown, () => SquashAsync(server, Head("r")));

        Assert.Equal(_noChildren + $"default/r@{head}", byId.Status.Detail);
        Assert.Equal(_noChildren + $"default/r@{head}", byBranch.Status.Detail);
        Assert.Equal(before, await CommitIdsAsync(server, "r"));
        Assert.Equal(head, await HeadIdAsync(server, "r"));
        Assert.Equal(before[1], (await InspectAsync(server, "r", head)).ParentCommit.Id);
        Assert.Equal("2", await server.GetTextAsync(Head("r"), "/f"));
    }

    [Fact]
    public async Task Squash_ChildStillOpen_RefusedAndNothingChangesUntilItIsFinished()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.PutAsync("r", "/f", "1");
        var parent = await HeadIdAsync(server, "r");
        var open = (await server.Pfs.StartCommitAsync(new StartCommitRequest { Branch = BranchOf("r", "master") })).Id;
        await server.ModifyAsync(Head("r"), Add("/wip", "w"));
        var before = await CommitIdsAsync(server, "r");

        var refused = await ThrowsRpcAsync(StatusCode.Unknown, () => SquashAsync(server, ById("r", parent)));

        Assert.Equal($"cannot squash until child commit default/r@{open} is finished", refused.Status.Detail);
        Assert.Equal(before, await CommitIdsAsync(server, "r"));
        var child = await InspectAsync(server, "r", open);
        Assert.Equal(parent, child.ParentCommit.Id);
        Assert.Null(child.Finished);
        Assert.Equal("1", await server.GetTextAsync(ById("r", parent), "/f"));
        // The open commit still takes writes; once finished, the same squash goes through.
        await server.ModifyAsync(Head("r"), Add("/more", "m"));
        await server.Pfs.FinishCommitAsync(new FinishCommitRequest { Commit = ById("r", open) });
        await SquashAsync(server, ById("r", parent));
        Assert.Equal(["/f", "/more", "/wip"], await PathsAsync(server, ById("r", open)));
        Assert.Equal(before[^1], (await InspectAsync(server, "r", open)).ParentCommit.Id);
    }

    [Fact]
    public async Task Squash_MissingCommitOrRepo_NotFound()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.PutAsync("r", "/f", "1");
        var missing = new string('0', 12) + "4" + new string('0', 19);

        var commit = await ThrowsRpcAsync(StatusCode.NotFound, () => SquashAsync(server, ById("r", missing)));
        var repo = await ThrowsRpcAsync(StatusCode.NotFound, () => SquashAsync(server, ById("nope", missing)));

        Assert.Equal($"commit default/r@{missing} not found", commit.Status.Detail);
        Assert.Equal("repo default/nope not found", repo.Status.Detail);
    }

    [Fact]
    public async Task Squash_AuthOn_OnlyTheClusterAdminMaySquashNotEvenTheRepoOwner()
    {
        await using var server = await StartAsync();
        var root = Token((await server.Auth.ActivateAsync(new ActivateRequest())).PachToken);
        var owner = Token((await server.Auth.GetRobotTokenAsync(new GetRobotTokenRequest { Robot = "owner" }, root)).Token);
        await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = Repo("mine") }, owner);
        await server.Pfs.CreateBranchAsync(new CreateBranchRequest { Branch = BranchOf("mine", "master") }, owner);
        for (var i = 1; i <= 2; i++)
        {
            using var call = server.Pfs.ModifyFile(owner);
            await call.RequestStream.WriteAsync(new ModifyFileRequest { SetCommit = Head("mine") });
            await call.RequestStream.WriteAsync(Add($"/f{i}", "v"));
            await call.RequestStream.CompleteAsync();
            await call;
        }

        var head = (await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = BranchOf("mine", "master") }, owner)).Head.Id;
        var middle = (await server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById("mine", head) }, owner)).ParentCommit.Id;

        var denied = await ThrowsRpcAsync(StatusCode.PermissionDenied, () => SquashAsync(server, ById("mine", middle), owner));
        // The cluster permission is checked before the commit is looked at, as by pachd's interceptor.
        var deniedMissing = await ThrowsRpcAsync(StatusCode.PermissionDenied, () => SquashAsync(server, ById("nope", "x"), owner));
        await ThrowsRpcAsync(StatusCode.Unauthenticated, () => SquashAsync(server, ById("mine", middle)));

        const string expected = "robot:owner is not authorized to perform this operation - needs permissions [REPO_DELETE_COMMIT] on CLUSTER";
        Assert.Equal(expected, denied.Status.Detail);
        Assert.Equal(expected, deniedMissing.Status.Detail);
        Assert.Equal(middle, (await server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById("mine", middle) }, root)).Commit.Id);

        await SquashAsync(server, ById("mine", middle), root);

        await ThrowsRpcAsync(StatusCode.NotFound, async () => await server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById("mine", middle) }, root));
        var file = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(ById("mine", head), "/f1") }, owner);
        Assert.Equal(1, file.SizeBytes);
    }

    [Fact]
    public async Task Squash_ThenCollection_DeletesTheChunkFileOnlyTheSquashedCommitUsed()
    {
        // Background collection on, as LocalPachd runs by default: the squash itself must ask for the collection.
        await using var server = await StartAsync(configure: o =>
        {
            o.InlineThreshold = 1024;
            o.BackgroundGarbageCollection = true;
        });
        await server.CreateRepoAsync("r");
        var gone = RandomBytes(20 * 1024);
        var kept = RandomBytes(30 * 1024);
        await server.ModifyAsync(Head("r"), Add("/gone", gone), Add("/kept", kept), Add("/small", "inline"));
        var first = await HeadIdAsync(server, "r");
        await server.ModifyAsync(Head("r"), Delete("/gone"));
        var second = await HeadIdAsync(server, "r");
        var goneFile = ChunkFilePath(server.DataDirectory, gone);
        var keptFile = ChunkFilePath(server.DataDirectory, kept);
        Assert.True(System.IO.File.Exists(goneFile), goneFile);
        Assert.True(System.IO.File.Exists(keptFile), keptFile);
        // Nothing frees a chunk that an older commit still holds.
        await server.Server.CollectGarbageAsync();
        Assert.True(System.IO.File.Exists(goneFile));

        await SquashAsync(server, ById("r", first));

        await Poll.UntilAsync(() => !System.IO.File.Exists(goneFile));
        Assert.True(System.IO.File.Exists(keptFile));
        Assert.Equal(kept, await server.GetBytesAsync(ById("r", second), "/kept"));
        Assert.Equal("inline", await server.GetTextAsync(ById("r", second), "/small"));
        Assert.Equal(["/kept", "/small"], await PathsAsync(server, Head("r")));
        using var connection = server.Server.Store.Db.Open();
        Assert.Equal(2L, (long)connection.Scalar("SELECT COUNT(*) FROM contents")!); // /kept and /small
        Assert.Equal(2L, (long)connection.Scalar("SELECT COUNT(*) FROM chunks")!);
    }

    [Fact]
    public async Task Squash_ThenRestart_HistoryAndContentStayConsistent()
    {
        var directory = NewDirectory();
        try
        {
            var big = RandomBytes(100 * 1024);
            string root;
            string first;
            string second;
            string third;
            await using (var server = await StartAsync(directory))
            {
                await server.CreateRepoAsync("r");
                root = await HeadIdAsync(server, "r");
                await server.ModifyAsync(Head("r"), Add("/big", big), Add("/a", "1"));
                first = await HeadIdAsync(server, "r");
                await server.ModifyAsync(Head("r"), Delete("/a"), Add("/a", "2"));
                second = await HeadIdAsync(server, "r");
                await server.PutAsync("r", "/b", "3");
                third = await HeadIdAsync(server, "r");

                await SquashAsync(server, ById("r", "master^"));
            }

            await using (var server = await StartAsync(directory))
            {
                await server.Server.CollectGarbageAsync();
                Assert.Equal([third, first, root], await CommitIdsAsync(server, "r"));
                Assert.Equal(first, (await InspectAsync(server, "r", third)).ParentCommit.Id);
                Assert.Equal([third], (await InspectAsync(server, "r", first)).ChildCommits.Select(c => c.Id));
                await ThrowsRpcAsync(StatusCode.NotFound, () => InspectAsync(server, "r", second));
                Assert.Equal("2", await server.GetTextAsync(Head("r"), "/a"));
                Assert.Equal("1", await server.GetTextAsync(ById("r", first), "/a"));
                Assert.Equal(big, await server.GetBytesAsync(Head("r"), "/big"));

                // History goes on from there, and can be squashed again.
                await server.PutAsync("r", "/c", "4");
                var fourth = await HeadIdAsync(server, "r");
                Assert.Equal(third, (await InspectAsync(server, "r", fourth)).ParentCommit.Id);
                await SquashAsync(server, ById("r", third));
                await server.Server.CollectGarbageAsync();
                Assert.Equal(["/a", "/b", "/big", "/c"], await PathsAsync(server, Head("r")));
                Assert.Equal([fourth, first, root], await CommitIdsAsync(server, "r"));
            }
        }
        finally
        {
            TryDelete(directory);
        }
    }
}
