using Gateway.Core.Naming;

namespace Gateway.Core.Tests.Naming;

public sealed class BucketNameTests
{
    private const string _commit = "0123456789ab4def0123456789abcdef";

    [Theory]
    [InlineData("images", "default", "images", "master", null)]
    [InlineData("dev.images", "default", "images", "dev", null)]
    [InlineData("dev.images.proj", "proj", "images", "dev", null)]
    [InlineData(_commit + ".images", "default", "images", "master", _commit)]
    [InlineData(_commit + ".dev.images", "default", "images", "dev", _commit)]
    [InlineData(_commit + ".dev.images.proj", "proj", "images", "dev", _commit)]
    [InlineData("My_Repo", "default", "My_Repo", "master", null)]
    [InlineData("feature-1.Data_Set", "default", "Data_Set", "feature-1", null)]
    [InlineData(_commit, "default", _commit, "master", null)]
    [InlineData("0123456789abcdef0123456789abcdef.repo", "default", "repo", "0123456789abcdef0123456789abcdef", null)]
    public void TryParse_ValidName_ResolvesBranchRepoProjectCommit(string name, string project, string repo, string branch, string? commit)
    {
        Assert.True(BucketName.TryParse(name, out var address, out var reason), reason);
        Assert.Equal(new BucketAddress(project, repo, branch, commit), address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b.c.d")]
    [InlineData(_commit + ".a.b.c.d")]
    [InlineData("a..b")]
    [InlineData(".repo")]
    [InlineData("repo.")]
    [InlineData("re po")]
    [InlineData("master.repo.-project")]
    [InlineData("master.repo.p0123456789012345678901234567890123456789012345678901")]
    [InlineData("repo!")]
    public void TryParse_InvalidName_Fails(string name)
    {
        Assert.False(BucketName.TryParse(name, out _, out var reason));
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Theory]
    [InlineData("default", "images", "master", "master.images")]
    [InlineData("proj", "images", "dev", "dev.images.proj")]
    public void Format_ListingName_OmitsDefaultProject(string project, string repo, string branch, string expected)
    {
        Assert.Equal(expected, BucketName.Format(project, repo, branch));
        Assert.True(BucketName.TryParse(expected, out var back, out _));
        Assert.Equal((project, repo, branch), (back.Project, back.Repo, back.Branch));
    }

    [Theory]
    [InlineData("_s3gateway_multipart_", true)]
    [InlineData("_s3gatewayx", true)]
    [InlineData("s3gateway", false)]
    public void IsInternalRepo_Prefix_Detected(string repo, bool expected) => Assert.Equal(expected, BucketName.IsInternalRepo(repo));

    [Fact]
    public void ReadCommit_PinnedBucket_UsesCommitId()
    {
        Assert.True(BucketName.TryParse(_commit + ".dev.images", out var address, out _));
        Assert.Equal(_commit, address.ReadCommit.Id);
        Assert.Null(new BucketAddress("default", "r", "master", null).ReadCommit.Id);
    }
}
