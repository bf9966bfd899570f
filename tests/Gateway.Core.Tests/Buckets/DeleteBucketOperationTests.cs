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
}
