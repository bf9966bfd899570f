using System.Text;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Objects;

[Collection(PachdCollection.Name)]
public sealed class DeleteObjectsOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    private static string Body(bool quiet, params string[] objects) =>
        "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + (quiet ? "<Quiet>true</Quiet>" : string.Empty)
        + string.Concat(objects) + "</Delete>";

    private static string Object(string key, string? versionId = null) =>
        $"<Object><Key>{key}</Key>{(versionId is null ? string.Empty : $"<VersionId>{versionId}</VersionId>")}</Object>";

    [Fact]
    public async Task DeleteObjects_ManyKeys_OneCommitDeletingEachFile()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/a", "1");
        await pachd.PutAsync(repo, "/dir/b", "2");
        await pachd.PutAsync(repo, "/dir/kept", "3");
        var before = await pachd.CommitCountAsync(repo);

        var r = await _gateway.SendAsync("POST", $"/{repo}?delete", Body(false, Object("a"), Object("dir/b"), Object("dir/"), Object("c+d"), Object("a")));

        Assert.Equal(200, r.Status);
        Assert.Equal(before + 1, await pachd.CommitCountAsync(repo));
        Assert.Null(await pachd.ReadAsync(repo, "/a"));
        Assert.Null(await pachd.ReadAsync(repo, "/dir/b"));
        Assert.Equal("3", await pachd.ReadAsync(repo, "/dir/kept"));
        Assert.Equal(["a", "dir/b", "dir/", "c+d", "a"], r.Xml.Elements("Deleted").Select(d => d.Element("Key")!.Value));
    }

    [Fact]
    public async Task DeleteObjects_Quiet_OnlyErrorsListed()
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("POST", $"/{repo}?delete", Body(true, Object("a"), Object("b", "not-a-version")));

        Assert.Equal(200, r.Status);
        Assert.Empty(r.Xml.Elements("Deleted"));
        var error = Assert.Single(r.Xml.Elements("Error"));
        Assert.Equal("b", error.Element("Key")!.Value);
        Assert.Equal("InvalidArgument", error.Element("Code")!.Value);
    }

    [Theory]
    [InlineData("not xml")]
    [InlineData("<Delete></Delete>")]
    [InlineData("<Other><Object><Key>a</Key></Object></Other>")]
    [InlineData("<!DOCTYPE x [<!ENTITY e \"boom\">]><Delete><Object><Key>&e;</Key></Object></Delete>")]
    public async Task DeleteObjects_BadBody_MalformedXml(string body)
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("POST", $"/{repo}?delete", body);

        Assert.Equal(400, r.Status);
        Assert.Equal("MalformedXML", r.ErrorCode);
    }

    [Fact]
    public async Task DeleteObjects_Over1000Keys_MalformedXml()
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("POST", $"/{repo}?delete", Body(false, [.. Enumerable.Range(0, 1001).Select(i => Object($"k{i}"))]));

        Assert.Equal("MalformedXML", r.ErrorCode);
    }

    [Fact]
    public async Task DeleteObjects_MissingBucket_NoSuchBucket()
    {
        var r = await _gateway.SendAsync("POST", "/nosuchrepo99?delete", Body(false, Object("a")));

        Assert.Equal("NoSuchBucket", r.ErrorCode);
    }

    [Fact]
    public async Task DeleteObjects_PachdRefusesTheCommit_EveryKeyReportsTheErrorInside200()
    {
        var repo = await pachd.NewRepoAsync();
        var denied = new PachException(PachErrorKind.NotAuthorized, Grpc.Core.StatusCode.PermissionDenied, "user alice is not authorized");
        var gateway = new Support.Gateway(PachProxy.Failing(pachd.Client, nameof(IPachClient.ModifyFileAsync), denied));

        var r = await gateway.SendAsync("POST", $"/{repo}?delete", Body(false, Object("a"), Object("b")));

        Assert.Equal(200, r.Status);
        Assert.Empty(r.Xml.Elements("Deleted"));
        Assert.Equal(["AccessDenied", "AccessDenied"], r.Xml.Elements("Error").Select(e => e.Element("Code")!.Value));
        Assert.DoesNotContain("alice", r.Text, StringComparison.Ordinal);
    }
}
