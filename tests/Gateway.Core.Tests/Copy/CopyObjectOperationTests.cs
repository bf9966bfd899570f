using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Copy;

[Collection(PachdCollection.Name)]
public sealed class CopyObjectOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    private static Dictionary<string, string> Source(string source, params (string Name, string Value)[] more)
    {
        var headers = new Dictionary<string, string> { ["x-amz-copy-source"] = source };
        foreach (var (name, value) in more)
        {
            headers[name] = value;
        }

        return headers;
    }

    [Fact]
    public async Task Copy_OtherBucket_OneCommitInsidePachdWithBothVersions()
    {
        var source = await pachd.NewRepoAsync();
        var put = await _gateway.SendAsync("PUT", $"/{source}/a/src.txt", "payload", new Dictionary<string, string> { ["Content-Type"] = "text/x-payload" });
        var sourceCommit = put.Headers["x-amz-version-id"].ToString();
        var repo = await pachd.NewRepoAsync();
        var before = await pachd.CommitCountAsync(repo);
        var calls = new List<PachCall>();
        var gateway = new Support.Gateway(PachProxy.Wrap(pachd.Client, calls));

        var r = await gateway.SendAsync("PUT", $"/{repo}/dst.txt", headers: Source($"/{source}/a/src.txt"));

        Assert.Equal(200, r.Status);
        Assert.Equal("payload", await pachd.ReadAsync(repo, "/dst.txt"));
        Assert.Equal(before + 1, await pachd.CommitCountAsync(repo));
        Assert.Equal(sourceCommit, r.Headers["x-amz-copy-source-version-id"].ToString());
        var info = await pachd.Client.InspectFileAsync(new FileRef(new BranchRef(RepoRef.InDefault(repo), "master").Head, "/dst.txt"));
        Assert.Equal(info.File.Commit.Id, r.Headers["x-amz-version-id"].ToString());
        Assert.Equal(Gateway.S3.Http.ETags.FromMd5(System.Security.Cryptography.MD5.HashData("payload"u8)), r.Xml.Element("ETag")!.Value);
        Assert.DoesNotContain(calls, c => c.Method == nameof(IPachClient.GetFileAsync) && ((FileRef)c.Args[0]!).Path == "/a/src.txt");
        var head = await _gateway.SendAsync("HEAD", $"/{repo}/dst.txt");
        Assert.Equal(put.Headers.ETag.ToString(), head.Headers.ETag.ToString());
        Assert.Equal("text/x-payload", head.Headers.ContentType.ToString());
    }

    [Fact]
    public async Task Copy_OlderVersion_ThatContent()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await pachd.PutAsync(repo, "/k", "first");
        await pachd.PutAsync(repo, "/k", "second");

        var r = await _gateway.SendAsync("PUT", $"/{repo}/restored", headers: Source($"/{repo}/k?versionId={v1}"));

        Assert.Equal(200, r.Status);
        Assert.Equal("first", await pachd.ReadAsync(repo, "/restored"));
        Assert.Equal(v1, r.Headers["x-amz-copy-source-version-id"].ToString());
    }

    [Fact]
    public async Task Copy_OntoItselfWithoutReplace_InvalidRequest()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/k", "x");

        var plain = await _gateway.SendAsync("PUT", $"/{repo}/k", headers: Source($"/{repo}/k"));
        var replace = await _gateway.SendAsync("PUT", $"/{repo}/k", headers: Source($"/{repo}/k", ("x-amz-metadata-directive", "REPLACE")));

        Assert.Equal("InvalidRequest", plain.ErrorCode);
        Assert.Equal(200, replace.Status);
    }

    [Fact]
    public async Task Copy_MissingSourceBucket_NoSuchBucketNamingTheSource()
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("PUT", $"/{repo}/k", headers: Source("/master.nosuchsource7/k"));

        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchBucket", r.ErrorCode);
        Assert.Equal("master.nosuchsource7", r.Xml.Element("BucketName")!.Value);
    }

    [Fact]
    public async Task Copy_SourceConditionFails_PreconditionFailedAndNothingWritten()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/k", "x");

        var r = await _gateway.SendAsync("PUT", $"/{repo}/copy", headers: Source($"/{repo}/k", ("x-amz-copy-source-if-match", "\"nope\"")));

        Assert.Equal(412, r.Status);
        Assert.Null(await pachd.ReadAsync(repo, "/copy"));
    }

    [Fact]
    public async Task Copy_UnknownDirective_InvalidArgument()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/k", "x");

        var r = await _gateway.SendAsync("PUT", $"/{repo}/copy", headers: Source($"/{repo}/k", ("x-amz-metadata-directive", "MERGE")));

        Assert.Equal("InvalidArgument", r.ErrorCode);
    }
}
