using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.History;

[Collection(PachdCollection.Name)]
public sealed class VersionReadTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Fact]
    public async Task Get_EveryVersion_ItsBytesMetadataAndETag()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await _gateway.PutAsync(repo, "k", "one", new Dictionary<string, string> { ["x-amz-meta-n"] = "1", ["Content-Type"] = "text/one" });
        var v2 = await _gateway.PutAsync(repo, "k", "two", new Dictionary<string, string> { ["x-amz-meta-n"] = "2", ["Content-Type"] = "text/two" });
        var listed = Versions.Entries((await _gateway.ListAsync(repo)).Xml);

        foreach (var (id, content, n) in new[] { (v1, "one", "1"), (v2, "two", "2") })
        {
            var r = await _gateway.SendAsync("GET", $"/{repo}/k?versionId={id}");
            var head = await _gateway.SendAsync("HEAD", $"/{repo}/k?versionId={id}");

            Assert.Equal(200, r.Status);
            Assert.Equal(content, r.Text);
            Assert.Equal(n, r.Headers["x-amz-meta-n"].ToString());
            Assert.Equal("text/" + content, r.Headers.ContentType.ToString());
            Assert.Equal(id, r.Headers["x-amz-version-id"].ToString());
            Assert.Equal(listed.Single(v => v.VersionId == id).ETag, r.Headers.ETag.ToString());
            Assert.Equal(r.Headers.ETag.ToString(), head.Headers.ETag.ToString());
        }
    }

    [Fact]
    public async Task Get_Current_VersionIsTheCommitThatWroteIt()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await _gateway.PutAsync(repo, "k", "one");
        await _gateway.PutAsync(repo, "other", "x");

        var r = await _gateway.SendAsync("HEAD", $"/{repo}/k");

        Assert.Equal(v1, r.Headers["x-amz-version-id"].ToString());
    }

    [Fact]
    public async Task Get_CommitOfAnotherBranch_NoSuchVersion()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.PutAsync(repo, "k", "one");
        await pachd.Client.CreateBranchAsync(new BranchRef(RepoRef.InDefault(repo), "dev"));
        var other = await pachd.PutAsync(repo, "/k", "dev's", branch: "dev");
        var gatewayCommit = (await pachd.Client.InspectBranchAsync(new BranchRef(RepoRef.InDefault(repo), "_s3gateway_master"))).Head.Id;

        var r = await _gateway.SendAsync("GET", $"/{repo}/k?versionId={other}");
        var internalRead = await _gateway.SendAsync("GET", $"/{repo}/k?versionId={gatewayCommit}");

        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchVersion", r.ErrorCode);
        Assert.Equal("NoSuchVersion", internalRead.ErrorCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("master")]
    [InlineData("0123456789ab4def0123456789abcdeg")]
    public async Task Get_MalformedVersionId_InvalidArgument(string versionId)
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.PutAsync(repo, "k", "one");

        var r = await _gateway.SendAsync("GET", $"/{repo}/k?versionId={versionId}");

        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidArgument", r.ErrorCode);
    }

    [Fact]
    public async Task Get_DeleteMarkerVersion_MethodNotAllowedWithMarkerHeaders()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.PutAsync(repo, "k", "one");
        var marker = await _gateway.DeleteAsync(repo, "k");

        var r = await _gateway.SendAsync("GET", $"/{repo}/k?versionId={marker}");

        Assert.Equal(405, r.Status);
        Assert.Equal("MethodNotAllowed", r.ErrorCode);
        Assert.Equal("true", r.Headers["x-amz-delete-marker"].ToString());
        Assert.Equal(marker, r.Headers["x-amz-version-id"].ToString());
    }

    [Fact]
    public async Task Get_DeletedKey_NoSuchKeyWithDeleteMarker()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.PutAsync(repo, "k", "one");
        var marker = await _gateway.DeleteAsync(repo, "k");

        var r = await _gateway.SendAsync("GET", $"/{repo}/k");
        var never = await _gateway.SendAsync("GET", $"/{repo}/never");

        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchKey", r.ErrorCode);
        Assert.Equal("true", r.Headers["x-amz-delete-marker"].ToString());
        Assert.Equal(marker, r.Headers["x-amz-version-id"].ToString());
        Assert.False(never.Headers.ContainsKey("x-amz-delete-marker"));
    }

    [Fact]
    public async Task Get_CommitBucket_ReadsThatCommit()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await _gateway.PutAsync(repo, "k", "one");
        await _gateway.PutAsync(repo, "k", "two");

        var r = await _gateway.SendAsync("GET", $"/{v1}.master.{repo}/k");

        Assert.Equal("one", r.Text);
    }

    [Fact]
    public async Task List_CommitBucket_ETagsOfThatCommitsVersions()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await _gateway.PutAsync(repo, "x", "x1");
        await _gateway.PutAsync(repo, "x", "x2");
        var head = await _gateway.SendAsync("HEAD", $"/{v1}.master.{repo}/x");

        var v2List = await _gateway.SendAsync("GET", $"/{v1}.master.{repo}?list-type=2");
        var v1List = await _gateway.SendAsync("GET", $"/{v1}.master.{repo}");

        Assert.Equal(head.Headers.ETag.ToString(), v2List.Xml.Element("Contents")!.Element("ETag")!.Value);
        Assert.Equal(head.Headers.ETag.ToString(), v1List.Xml.Element("Contents")!.Element("ETag")!.Value);
        Assert.DoesNotContain("-", head.Headers.ETag.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_CommitBucketOfAnotherBranchsCommit_NoSuchBucket()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.PutAsync(repo, "k", "one");
        await pachd.Client.CreateBranchAsync(new BranchRef(RepoRef.InDefault(repo), "dev"));
        var other = await pachd.PutAsync(repo, "/k", "dev's", branch: "dev");

        var get = await _gateway.SendAsync("GET", $"/{other}.master.{repo}/k");
        var list = await _gateway.SendAsync("GET", $"/{other}.master.{repo}?list-type=2");
        var own = await _gateway.SendAsync("GET", $"/{other}.dev.{repo}/k");

        Assert.Equal("NoSuchBucket", get.ErrorCode);
        Assert.Equal("NoSuchBucket", list.ErrorCode);
        Assert.Equal("dev's", own.Text);
    }

    [Theory]
    [InlineData("PUT", "/k")]
    [InlineData("DELETE", "/k")]
    [InlineData("POST", "/k?uploads")]
    [InlineData("PUT", "/k?tagging")]
    public async Task Write_CommitBucket_MethodNotAllowedNamingTheBranchBucket(string method, string target)
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await _gateway.PutAsync(repo, "k", "one");

        var r = await _gateway.SendAsync(method, $"/{v1}.master.{repo}{target}", "<Tagging><TagSet/></Tagging>");

        Assert.Equal(405, r.Status);
        Assert.Equal("MethodNotAllowed", r.ErrorCode);
        Assert.Contains($"master.{repo}", r.Xml.Element("Message")!.Value);
        Assert.Equal("one", await pachd.ReadAsync(repo, "/k"));
    }
}
