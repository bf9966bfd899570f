using Gateway.Pachyderm.Tests.Support;
using Grpc.Core;
using Xunit;

namespace Gateway.Pachyderm.Tests.Contract;

public abstract partial class PachClientContractTests
{
    /// <summary>Three commits on master, each writing one file: the ids, oldest first.</summary>
    private async Task<(RepoRef Repo, string First, string Middle, string Last)> ThreeCommitsAsync(byte[] middleContent)
    {
        var repo = await NewRepoAsync();
        var ids = new List<string>();
        foreach (var (path, content) in new[] { ("/first", new byte[] { 1 }), ("/middle", middleContent), ("/last", new byte[] { 3 }) })
        {
            await PutBytesAsync(Master(repo).Head, path, content);
            ids.Add((await Client.InspectBranchAsync(Master(repo))).Head.Id);
        }

        return (repo, ids[0], ids[1], ids[2]);
    }

    [Fact]
    public async Task SquashCommit_MiddleCommit_ChildKeepsItsContentAndTakesTheParent()
    {
        var middleContent = TestData.Bytes(3 * MiB, seed: 7);
        var (repo, first, middle, last) = await ThreeCommitsAsync(middleContent);

        await Client.SquashCommitAsync(CommitRef.ById(repo, middle));

        var child = await Client.InspectCommitAsync(CommitRef.ById(repo, last));
        Assert.Equal(first, child.ParentCommit.Id);
        Assert.Equal([last], (await Client.InspectCommitAsync(CommitRef.ById(repo, first))).ChildCommits.Select(c => c.Id));
        Assert.Equal(middleContent, await ReadFileAsync(CommitRef.ById(repo, last), "/middle"));
        Assert.Equal([1], await ReadFileAsync(CommitRef.ById(repo, last), "/first"));
        Assert.Equal([3], await ReadFileAsync(Master(repo).Head, "/last"));
        Assert.Equal([last, first], (await Client.ListCommitsAsync(repo, Master(repo).Head).ToListAsync()).Select(c => c.Commit.Id));
        var gone = await Assert.ThrowsAsync<PachException>(() => Client.InspectCommitAsync(CommitRef.ById(repo, middle)));
        Assert.Equal(PachErrorKind.CommitNotFound, gone.Kind);
    }

    [Fact]
    public async Task SquashCommit_MissingCommitOrRepo_NotFoundKinds()
    {
        var (repo, _, _, _) = await ThreeCommitsAsync([2]);

        var commit = await Assert.ThrowsAsync<PachException>(() => Client.SquashCommitAsync(CommitRef.ById(repo, "0123456789ab4def0123456789abcdef")));
        var missingRepo = await Assert.ThrowsAsync<PachException>(() =>
            Client.SquashCommitAsync(CommitRef.ById(RepoRef.InDefault(TestData.Name("nope")), "0123456789ab4def0123456789abcdef")));

        Assert.Equal(PachErrorKind.CommitNotFound, commit.Kind);
        Assert.True(commit.IsNotFound);
        Assert.Equal(PachErrorKind.RepoNotFound, missingRepo.Kind);
    }

    [Fact]
    public async Task SquashCommit_NoChildren_CannotSquashAndNothingChanges()
    {
        var (repo, _, _, last) = await ThreeCommitsAsync([2]);
        var before = await CommitCountAsync(repo);

        var error = await Assert.ThrowsAsync<PachException>(() => Client.SquashCommitAsync(Master(repo).Head));

        Assert.Equal(PachErrorKind.CannotSquash, error.Kind);
        Assert.Equal(StatusCode.Unknown, error.Status);
        Assert.Contains("has no children", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await CommitCountAsync(repo));
        Assert.Equal(last, (await Client.InspectBranchAsync(Master(repo))).Head.Id);
    }

    [Fact]
    public async Task SquashCommit_ChildNotFinished_CannotSquashUntilItIs()
    {
        var (repo, _, _, last) = await ThreeCommitsAsync([2]);
        var open = await Client.StartCommitAsync(Master(repo));

        var error = await Assert.ThrowsAsync<PachException>(() => Client.SquashCommitAsync(CommitRef.ById(repo, last)));

        Assert.Equal(PachErrorKind.CannotSquash, error.Kind);
        Assert.Contains(open.Id!, error.Message, StringComparison.Ordinal);
        Assert.Equal(last, (await Client.InspectCommitAsync(open)).ParentCommit.Id);
        await Client.FinishCommitAsync(open);
        await Client.SquashCommitAsync(CommitRef.ById(repo, last));
        Assert.Equal([3], await ReadFileAsync(CommitRef.ById(repo, open.Id!), "/last"));
    }

    [Fact]
    public Task SquashCommit_AuthActive_OnlyTheClusterAdmin() => WithOwnServerAsync(async client =>
    {
        var root = client.WithToken(await client.ActivateAuthAsync(null));
        var owner = client.WithToken(await root.GetRobotTokenAsync("owner"));
        var repo = RepoRef.InDefault(TestData.Name("owned"));
        await owner.CreateRepoAsync(repo);
        foreach (var path in new[] { "/a", "/b" })
        {
            using var content = new MemoryStream([1]);
            await owner.PutFileAsync(Master(repo).Head, path, content);
        }

        var middle = (await owner.InspectCommitAsync(Master(repo).Head)).ParentCommit.Id;

        var denied = await Assert.ThrowsAsync<PachException>(() => owner.SquashCommitAsync(CommitRef.ById(repo, middle)));
        var noToken = await Assert.ThrowsAsync<PachException>(() => client.SquashCommitAsync(CommitRef.ById(repo, middle)));

        Assert.Equal(PachErrorKind.NotAuthorized, denied.Kind);
        Assert.Equal(PachErrorKind.NoToken, noToken.Kind);
        await root.SquashCommitAsync(CommitRef.ById(repo, middle));
        var gone = await Assert.ThrowsAsync<PachException>(() => owner.InspectCommitAsync(CommitRef.ById(repo, middle)));
        Assert.Equal(PachErrorKind.CommitNotFound, gone.Kind);
        await using var stream = await owner.GetFileAsync(new FileRef(Master(repo).Head, "/a"));
        Assert.Equal([1], await TestData.ReadAllAsync(stream));
    });
}
