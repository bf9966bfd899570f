using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Buckets;

[Collection(PachdCollection.Name)]
public sealed class CreateBucketOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    private static string NewName() => "c" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Create_NewRepo_RepoAndBranchWithLocation()
    {
        var repo = NewName();

        var r = await _gateway.SendAsync("PUT", $"/dev.{repo}", "<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>");

        Assert.Equal(200, r.Status);
        Assert.Equal($"/dev.{repo}", r.Headers.Location.ToString());
        var branch = await pachd.Client.InspectBranchAsync(new BranchRef(RepoRef.InDefault(repo), "dev"));
        Assert.Equal("dev", branch.Branch.Name);
    }

    [Fact]
    public async Task Create_ExistingBranch_200AsS3AnswersInUsEast1AndDataKept()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/kept", "x");

        var r = await _gateway.SendAsync("PUT", $"/master.{repo}");

        Assert.Equal(200, r.Status);
        Assert.Equal("x", await pachd.ReadAsync(repo, "/kept"));
    }

    [Fact]
    public async Task Create_RepoExistsBranchNew_AddsTheBranch()
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("PUT", $"/feature.{repo}");

        Assert.Equal(200, r.Status);
        var branches = new List<string>();
        await foreach (var b in pachd.Client.ListBranchesAsync(RepoRef.InDefault(repo)))
        {
            branches.Add(b.Branch.Name);
        }

        Assert.Equal(["feature", "master"], branches.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/master._s3gateway_mine", 404, "NoSuchBucket")]
    [InlineData("/master.r.nosuchproject", 400, "InvalidBucketName")]
    [InlineData("/a.b.c.d", 400, "InvalidBucketName")]
    public async Task Create_NameThatCannotBeABucket_Refused(string target, int status, string code)
    {
        var r = await _gateway.SendAsync("PUT", target);

        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.ErrorCode);
    }
}
