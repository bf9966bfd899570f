using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using static LocalPachd.Tests.TestServer;

namespace LocalPachd.Tests.Server;

public sealed class CommitTests
{
    [Fact]
    public async Task ListCommit_NewestFirstWithLimitAndReverse()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        for (var i = 0; i < 4; i++)
        {
            await server.PutAsync("r", "/f", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        async Task<List<CommitInfo>> List(ListCommitRequest request)
        {
            using var call = server.Pfs.ListCommit(request);
            return await call.ResponseStream.ReadAllAsync().ToListAsync();
        }

        var all = await List(new ListCommitRequest { Repo = Repo("r") });
        Assert.Equal(5, all.Count);
        Assert.Null(all[^1].ParentCommit);
        for (var i = 0; i < all.Count - 1; i++)
        {
            Assert.Equal(all[i + 1].Commit.Id, all[i].ParentCommit.Id);
        }

        var limited = await List(new ListCommitRequest { Repo = Repo("r"), To = Head("r"), Number = 2 });
        var sinceOldest = await List(new ListCommitRequest { Repo = Repo("r"), To = Head("r"), From = all[^2].Commit });
        Assert.Equal(all.Take(3).Select(c => c.Commit.Id), sinceOldest.Select(c => c.Commit.Id));
        Assert.Equal(all.Take(2).Select(c => c.Commit.Id), limited.Select(c => c.Commit.Id));
        var reversed = await List(new ListCommitRequest { Repo = Repo("r"), Reverse = true });
        Assert.Equal(all.Select(c => c.Commit.Id).Reverse(), reversed.Select(c => c.Commit.Id));
    }

    [Fact]
    public async Task InspectCommit_MissingAndAncestry()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.PutAsync("r", "/f", "1");
        await server.PutAsync("r", "/f", "2");
        var missing = new string('0', 12) + "4" + new string('0', 19);
        var ex = await ThrowsRpcAsync(StatusCode.NotFound, async () => await server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById("r", missing) }));
        Assert.Equal($"commit default/r@{missing} not found", ex.Status.Detail);

        Assert.Equal("1", await server.GetTextAsync(ById("r", "master^"), "/f"));
        Assert.Equal("1", await server.GetTextAsync(ById("r", "master^1"), "/f"));
        await ThrowsRpcAsync(StatusCode.NotFound, () => server.GetTextAsync(ById("r", "master^2"), "/f"));
        Assert.Equal("2", await server.GetTextAsync(ById("r", "master"), "/f"));
    }

    [Fact]
    public async Task InspectCommit_WaitFinished_BlocksUntilFinish()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        var commit = await server.Pfs.StartCommitAsync(new StartCommitRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } });
        var waiting = server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById("r", commit.Id), Wait = CommitState.Finished }).ResponseAsync;
        var quick = await server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById("r", commit.Id) });
        Assert.Null(quick.Finished);
        Assert.False(waiting.IsCompleted);

        await server.Pfs.FinishCommitAsync(new FinishCommitRequest { Commit = ById("r", commit.Id) });
        var finished = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(finished.Finished);

        var again = await ThrowsRpcAsync(StatusCode.Unknown, async () => await server.Pfs.FinishCommitAsync(new FinishCommitRequest { Commit = ById("r", commit.Id) }));
        Assert.Equal($"commit default/r@{commit.Id} has already finished", again.Status.Detail);
    }

    [Fact]
    public async Task StartCommit_MissingBranch_CreatesIt()
    {
        await using var server = await StartAsync();
        await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = Repo("r") });
        var commit = await server.Pfs.StartCommitAsync(new StartCommitRequest { Branch = new Branch { Repo = Repo("r"), Name = "dev" } });
        var branch = await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = Repo("r"), Name = "dev" } });
        Assert.Equal(commit.Id, branch.Head.Id);
    }
}
