using System.Diagnostics;
using Gateway.Pachyderm.Protos.Auth;
using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using Xunit.Abstractions;
using static LocalPachd.Tests.TestServer;

namespace LocalPachd.Tests.Server;

public sealed class DiffFileTests(ITestOutputHelper output)
{
    private static async Task<List<DiffFileResponse>> DiffAsync(TestServer server, DiffFileRequest request, Metadata? headers = null)
    {
        using var call = server.Pfs.DiffFile(request, headers);
        return await call.ResponseStream.ReadAllAsync().ToListAsync();
    }

    private static List<string> Describe(List<DiffFileResponse> responses) => responses.ConvertAll(r =>
        (r.NewFile, r.OldFile) switch
        {
            ({ } n, null) => $"+{n.File.Path}",
            (null, { } o) => $"-{o.File.Path}",
            ({ } n, { } o) => $"~{n.File.Path}{(n.File.Path == o.File.Path ? string.Empty : " != " + o.File.Path)}",
            _ => "?",
        });

    private static async Task<string> HeadIdAsync(TestServer server, string repo) =>
        (await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = Repo(repo), Name = "master" } })).Head.Id;

    [Fact]
    public async Task DiffFile_AgainstParent_FileInfosOfBothCommits()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"), Add("/d/x", "1"), Add("/d/y", "22"), Add("/z", "333"));
        var first = await HeadIdAsync(server, "r");
        await server.ModifyAsync(Head("r"), Delete("/d/x"), Add("/d/y", "+"), Add("/n", "4444"));
        var second = await HeadIdAsync(server, "r");

        var diff = await DiffAsync(server, new DiffFileRequest { NewFile = File(Head("r"), "/") });

        Assert.Equal(["-/d/x", "~/d/y", "+/n"], Describe(diff));
        var changed = diff[1];
        Assert.Equal((second, "r", FileType.File, 3L), (changed.NewFile.File.Commit.Id, changed.NewFile.File.Commit.Repo.Name, changed.NewFile.FileType, changed.NewFile.SizeBytes));
        Assert.Equal((first, 2L), (changed.OldFile.File.Commit.Id, changed.OldFile.SizeBytes));
        Assert.NotEqual(changed.NewFile.Hash, changed.OldFile.Hash);
        Assert.NotNull(changed.NewFile.Committed);
    }

    [Fact]
    public async Task DiffFile_ExplicitOldFileInAnotherRepoAndPath_ComparedByFullPath()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("a");
        await server.CreateRepoAsync("b");
        await server.ModifyAsync(Head("a"), Add("/d/same", "s"), Add("/d/diff", "1"), Add("/top", "t"));
        await server.ModifyAsync(Head("b"), Add("/d/same", "s"), Add("/d/diff", "2"), Add("/d/only-b", "b"));

        var whole = await DiffAsync(server, new DiffFileRequest { NewFile = File(Head("b"), "/"), OldFile = File(Head("a"), "") });
        var scoped = await DiffAsync(server, new DiffFileRequest { NewFile = File(Head("b"), "/d/"), OldFile = File(Head("a"), "/") });

        Assert.Equal(["~/d/diff", "+/d/only-b", "-/top"], Describe(whole));
        Assert.Equal("a", whole[0].OldFile.File.Commit.Repo.Name);
        Assert.Equal("b", whole[0].NewFile.File.Commit.Repo.Name);
        Assert.Equal(["~/d/diff", "+/d/only-b", "-/top"], Describe(scoped));
    }

    [Fact]
    public async Task DiffFile_OpenCommit_SeesWritesSoFar()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.PutAsync("r", "/base", "b");
        var open = await server.Pfs.StartCommitAsync(new StartCommitRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } });
        await server.ModifyAsync(open, Add("/new", "n"));

        Assert.Equal(["+/new"], Describe(await DiffAsync(server, new DiffFileRequest { NewFile = File(open, "/") })));
    }

    [Fact]
    public async Task DiffFile_BadRequests_PachdErrors()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.PutAsync("r", "/a", "1");

        await ThrowsRpcAsync(StatusCode.InvalidArgument, () => DiffAsync(server, new DiffFileRequest()));
        await ThrowsRpcAsync(StatusCode.InvalidArgument, () => DiffAsync(server, new DiffFileRequest { NewFile = new Gateway.Pachyderm.Protos.Pfs.File { Path = "/" } }));
        await ThrowsRpcAsync(StatusCode.InvalidArgument, () =>
            DiffAsync(server, new DiffFileRequest { NewFile = File(Head("r"), "/"), OldFile = new Gateway.Pachyderm.Protos.Pfs.File { Path = "/" } }));
        await ThrowsRpcAsync(StatusCode.Unimplemented, () => DiffAsync(server, new DiffFileRequest { NewFile = File(Head("r"), "/"), Shallow = true }));

        var missing = await ThrowsRpcAsync(StatusCode.NotFound, () =>
            DiffAsync(server, new DiffFileRequest { NewFile = File(ById("r", "0123456789abcdef0123456789abcdef"), "/") }));
        Assert.Equal("commit default/r@0123456789abcdef0123456789abcdef not found", missing.Status.Detail);
        await ThrowsRpcAsync(StatusCode.NotFound, () =>
            DiffAsync(server, new DiffFileRequest { NewFile = File(Head("r"), "/"), OldFile = File(Head("r", "nope"), "/") }));
        var repo = await ThrowsRpcAsync(StatusCode.NotFound, () => DiffAsync(server, new DiffFileRequest { NewFile = File(Head("nope"), "/") }));
        Assert.Equal("repo default/nope not found", repo.Status.Detail);
        // A path that exists on neither side is an empty diff, not FileNotFound (pachd filters by prefix).
        Assert.Empty(await DiffAsync(server, new DiffFileRequest { NewFile = File(Head("r"), "/nothing/here") }));
    }

    [Fact]
    public async Task DiffFile_Auth_ReadAccessToBothRepos()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("theirs");
        await server.PutAsync("theirs", "/f", "1");
        var root = new Metadata { { "authn-token", (await server.Auth.ActivateAsync(new ActivateRequest())).PachToken } };
        var robot = new Metadata { { "authn-token", (await server.Auth.GetRobotTokenAsync(new GetRobotTokenRequest { Robot = "gw" }, root)).Token } };
        await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = Repo("mine") }, robot);
        await server.Pfs.CreateBranchAsync(new CreateBranchRequest { Branch = new Branch { Repo = Repo("mine"), Name = "master" } }, robot);

        await ThrowsRpcAsync(StatusCode.Unauthenticated, () => DiffAsync(server, new DiffFileRequest { NewFile = File(Head("mine"), "/") }));
        Assert.Empty(await DiffAsync(server, new DiffFileRequest { NewFile = File(Head("mine"), "/") }, robot));
        var denied = await ThrowsRpcAsync(StatusCode.PermissionDenied, () =>
            DiffAsync(server, new DiffFileRequest { NewFile = File(Head("mine"), "/"), OldFile = File(Head("theirs"), "/") }, robot));
        Assert.Contains("needs permissions [REPO_READ] on REPO default/theirs", denied.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["-/f"], Describe(await DiffAsync(server, new DiffFileRequest { NewFile = File(Head("mine"), "/"), OldFile = File(Head("theirs"), "/") }, root)));
    }

    [Fact]
    public async Task DiffFile_OneChangeAmong20000Files_ReportsOneAndTimesIt()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"), [.. Enumerable.Range(0, 20000).Select(i => AddEmpty($"/t/d{i / 1000:D2}/f{i % 1000:D4}"))]);
        await server.PutAsync("r", "/t/d07/f0500", "changed");

        var walk = Stopwatch.StartNew();
        Assert.True((await server.WalkAsync(Head("r"), "/")).Count > 20000);
        walk.Stop();
        var diffTime = Stopwatch.StartNew();
        var diff = await DiffAsync(server, new DiffFileRequest { NewFile = File(Head("r"), "/") });
        diffTime.Stop();

        Assert.Equal(["~/t/d07/f0500"], Describe(diff));
        output.WriteLine($"20,000 files: DiffFile of a one-file change {diffTime.Elapsed.TotalMilliseconds:F1} ms, WalkFile of the tree {walk.Elapsed.TotalMilliseconds:F1} ms");
    }
}
