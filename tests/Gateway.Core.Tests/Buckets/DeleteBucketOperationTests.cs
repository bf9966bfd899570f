using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Buckets;

[Collection(PachdCollection.Name)]
public sealed class DeleteBucketOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Fact]
    public async Task Delete_HasFiles_BucketNotEmpty()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/a/b", "x");

        var r = await _gateway.SendAsync("DELETE", $"/{repo}");

        Assert.Equal(409, r.Status);
        Assert.Equal("BucketNotEmpty", r.ErrorCode);
        Assert.True(await pachd.RepoExistsAsync(repo));
    }

    [Fact]
    public async Task Delete_EmptyLastBranch_BranchAndRepoGone()
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("DELETE", $"/{repo}");

        Assert.Equal(204, r.Status);
        Assert.False(await pachd.RepoExistsAsync(repo));
    }

    [Fact]
    public async Task Delete_EmptyBranchBesideAnother_OnlyThatBranchGoes()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.Client.CreateBranchAsync(new BranchRef(RepoRef.InDefault(repo), "dev"));

        var r = await _gateway.SendAsync("DELETE", $"/dev.{repo}");

        Assert.Equal(204, r.Status);
        Assert.True(await pachd.RepoExistsAsync(repo));
        Assert.Equal(404, (await _gateway.SendAsync("HEAD", $"/dev.{repo}")).Status);
        Assert.Equal(200, (await _gateway.SendAsync("HEAD", $"/master.{repo}")).Status);
    }

    [Fact]
    public async Task Delete_CommitPinned_MethodNotAllowedAndBranchKept()
    {
        var repo = await pachd.NewRepoAsync();
        var commit = await pachd.PutAsync(repo, "/x", "x");
        await pachd.Client.ModifyFileAsync(new BranchRef(RepoRef.InDefault(repo), "master").Head, w => w.DeleteFileAsync("/x"));

        var r = await _gateway.SendAsync("DELETE", $"/{commit}.master.{repo}");

        Assert.Equal(405, r.Status);
        Assert.Equal("MethodNotAllowed", r.ErrorCode);
        Assert.True(await pachd.RepoExistsAsync(repo));
    }

    [Fact]
    public async Task Delete_Missing_NoSuchBucket()
    {
        var r = await _gateway.SendAsync("DELETE", "/master.nosuchrepo31");

        Assert.Equal("NoSuchBucket", r.ErrorCode);
    }

    /// <summary>
    /// A PUT that commits after the emptiness check and before DeleteBranch was acknowledged to its client: the
    /// delete must not drop it. The write wins as if it had come first.
    /// </summary>
    [Fact]
    public async Task Delete_WriteCommitsBetweenCheckAndDelete_BucketNotEmptyAndTheWriteKept()
    {
        var repo = await pachd.NewRepoAsync();
        var injected = 0;
        var pach = PachProxy.Wrap(pachd.Client, [], call =>
        {
            if (call.Method == nameof(IPachClient.DeleteBranchAsync) && call.Args[0] is BranchRef { Name: "master" } && Interlocked.Exchange(ref injected, 1) == 0)
            {
                pachd.PutAsync(repo, "/late", "acknowledged").GetAwaiter().GetResult();
            }

            return null;
        });

        var r = await new Support.Gateway(pach).SendAsync("DELETE", $"/{repo}");

        Assert.Equal(1, injected);
        Assert.Equal(409, r.Status);
        Assert.Equal("BucketNotEmpty", r.ErrorCode);
        var get = await _gateway.SendAsync("GET", $"/{repo}/late");
        Assert.Equal(200, get.Status);
        Assert.Equal("acknowledged", get.Text);
    }

    /// <summary>A commit that raced the delete but left the bucket empty does not keep the bucket: the delete goes through.</summary>
    [Fact]
    public async Task Delete_EmptyCommitBetweenCheckAndDelete_DeletedOnTheNextAttempt()
    {
        var repo = await pachd.NewRepoAsync();
        var master = new BranchRef(RepoRef.InDefault(repo), "master");
        var injected = 0;
        var pach = PachProxy.Wrap(pachd.Client, [], call =>
        {
            if (call.Method == nameof(IPachClient.DeleteBranchAsync) && call.Args[0] is BranchRef { Name: "master" } && Interlocked.Exchange(ref injected, 1) == 0)
            {
                pachd.Client.ModifyFileAsync(master.Head, w => w.DeleteFileAsync("/absent")).GetAwaiter().GetResult();
            }

            return null;
        });

        var r = await new Support.Gateway(pach).SendAsync("DELETE", $"/{repo}");

        Assert.Equal(1, injected);
        Assert.Equal(204, r.Status);
        Assert.False(await pachd.RepoExistsAsync(repo));
    }

    /// <summary>Another branch grown from the bucket's head shares its lineage; its commits are not the bucket's.</summary>
    [Fact]
    public async Task Delete_BranchGrownFromTheHead_ItsCommitsAreNotTakenForARacedWrite()
    {
        var repo = await pachd.NewRepoAsync();
        var master = new BranchRef(RepoRef.InDefault(repo), "master");
        var dev = new BranchRef(RepoRef.InDefault(repo), "dev");
        await pachd.Client.CreateBranchAsync(dev, master.Head);
        await pachd.Client.ModifyFileAsync(dev.Head, w => w.AddFileAsync("/d", "dev"u8.ToArray()));

        var r = await _gateway.SendAsync("DELETE", $"/{repo}");

        Assert.Equal(204, r.Status);
        Assert.Equal(404, (await _gateway.SendAsync("HEAD", $"/master.{repo}")).Status);
        Assert.Equal("dev", (await _gateway.SendAsync("GET", $"/dev.{repo}/d")).Text);
    }
}
