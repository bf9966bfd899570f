using Gateway.Core.Tests.Support;

namespace Gateway.Core.Tests.Objects;

[Collection(PachdCollection.Name)]
public sealed class DeleteObjectOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Fact]
    public async Task Delete_Existing_OneCommitAndGone()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/k", "x");
        var before = await pachd.CommitCountAsync(repo);

        var r = await _gateway.SendAsync("DELETE", $"/{repo}/k");

        Assert.Equal(204, r.Status);
        Assert.Null(await pachd.ReadAsync(repo, "/k"));
        Assert.Equal(before + 1, await pachd.CommitCountAsync(repo));
    }

    [Theory]
    [InlineData("gone")]
    [InlineData("dir/")]
    [InlineData("a+b")]
    public async Task Delete_NothingThere_204WithoutCommit(string key)
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/dir/kept", "x");
        var before = await pachd.CommitCountAsync(repo);

        var r = await _gateway.SendAsync("DELETE", $"/{repo}/{key}");

        Assert.Equal(204, r.Status);
        Assert.Equal(before, await pachd.CommitCountAsync(repo));
        Assert.Equal("x", await pachd.ReadAsync(repo, "/dir/kept"));
    }

    [Fact]
    public async Task Delete_MissingBucket_NoSuchBucket()
    {
        var r = await _gateway.SendAsync("DELETE", "/nosuchrepo77/k");

        Assert.Equal("NoSuchBucket", r.ErrorCode);
    }
}
