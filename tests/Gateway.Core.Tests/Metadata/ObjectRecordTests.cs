using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Metadata;

/// <summary>What clients put beside the bytes comes back as stored, per version, and only for the content it describes.</summary>
[Collection(PachdCollection.Name)]
public sealed class ObjectRecordTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    private static string Md5ETag(string content) => "\"" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content))) + "\"";

    private static Dictionary<string, string> Headers(params (string Name, string Value)[] headers) => headers.ToDictionary(h => h.Name, h => h.Value);

    [Fact]
    public async Task Put_MetadataAndTags_ReturnedOnHeadAndGet()
    {
        var repo = await pachd.NewRepoAsync();
        var sent = Headers(
            ("Content-Type", "text/csv; charset=utf-8"),
            ("Content-Disposition", "attachment; filename=\"r.csv\""),
            ("Content-Language", "de"),
            ("Cache-Control", "max-age=60"),
            ("Expires", "Wed, 21 Oct 2037 07:28:00 GMT"),
            ("x-amz-meta-Origin", "camera 7"),
            ("x-amz-tagging", "project=pfs&stage=raw"));

        var put = await _gateway.SendAsync("PUT", $"/{repo}/data.csv", "a,b\n1,2\n", sent);
        var head = await _gateway.SendAsync("HEAD", $"/{repo}/data.csv");
        var get = await _gateway.SendAsync("GET", $"/{repo}/data.csv");

        Assert.Equal(200, put.Status);
        Assert.Equal(Md5ETag("a,b\n1,2\n"), put.Headers.ETag.ToString());
        foreach (var r in new[] { head, get })
        {
            Assert.Equal(put.Headers.ETag.ToString(), r.Headers.ETag.ToString());
            Assert.Equal("text/csv; charset=utf-8", r.Headers.ContentType.ToString());
            Assert.Equal("attachment; filename=\"r.csv\"", r.Headers.ContentDisposition.ToString());
            Assert.Equal("de", r.Headers.ContentLanguage.ToString());
            Assert.Equal("max-age=60", r.Headers.CacheControl.ToString());
            Assert.Equal("Wed, 21 Oct 2037 07:28:00 GMT", r.Headers.Expires.ToString());
            Assert.Equal("camera 7", r.Headers["x-amz-meta-origin"].ToString());
            Assert.Equal("2", r.Headers["x-amz-tagging-count"].ToString());
        }

        Assert.Equal("a,b\n1,2\n", get.Text);
        var tags = (await _gateway.SendAsync("GET", $"/{repo}/data.csv?tagging")).Xml;
        Assert.Equal(["project", "stage"], tags.Descendants("Key").Select(k => k.Value));
    }

    [Fact]
    public async Task Put_ContentChangedByOtherMeans_RecordNoLongerAppliesAndTheObjectFallsBackCleanly()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.SendAsync("PUT", $"/{repo}/f.txt", "through s3", Headers(("Content-Type", "application/x-custom"), ("x-amz-meta-a", "1")));

        await pachd.PutAsync(repo, "/f.txt", "rewritten by pachctl");
        var head = await _gateway.SendAsync("HEAD", $"/{repo}/f.txt");
        var list = await _gateway.SendAsync("GET", $"/{repo}?list-type=2");

        Assert.EndsWith("-1\"", head.Headers.ETag.ToString(), StringComparison.Ordinal);
        Assert.Equal("text/plain", head.Headers.ContentType.ToString());
        Assert.False(head.Headers.ContainsKey("x-amz-meta-a"));
        Assert.Equal(head.Headers.ETag.ToString(), list.Xml.Descendants("ETag").Single().Value);
    }

    [Fact]
    public async Task Get_OlderVersion_ItsOwnRecord()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = (await _gateway.SendAsync("PUT", $"/{repo}/k", "version one", Headers(("Content-Type", "text/x-one")))).Headers["x-amz-version-id"].ToString();
        await _gateway.SendAsync("PUT", $"/{repo}/k", "version two", Headers(("Content-Type", "text/x-two")));

        var old = await _gateway.SendAsync("GET", $"/{repo}/k?versionId={v1}");
        var now = await _gateway.SendAsync("GET", $"/{repo}/k");

        Assert.Equal(("version one", "text/x-one", Md5ETag("version one")), (old.Text, old.Headers.ContentType.ToString(), old.Headers.ETag.ToString()));
        Assert.Equal(("version two", "text/x-two", Md5ETag("version two")), (now.Text, now.Headers.ContentType.ToString(), now.Headers.ETag.ToString()));
    }

    [Fact]
    public async Task List_StoredETagsWithoutACallPerKey_AndContentDerivedForFilesWrittenByOtherMeans()
    {
        var repo = await pachd.NewRepoAsync();
        foreach (var key in new[] { "a/1", "a/2", "b", "c/1", "d", "e" })
        {
            await _gateway.SendAsync("PUT", $"/{repo}/{key}", "content of " + key);
        }

        await pachd.PutAsync(repo, "/pachctl.txt", "from a pipeline");
        var calls = new List<PachCall>();
        var gateway = new Support.Gateway(PachProxy.Wrap(pachd.Client, calls));

        var flat = (await gateway.SendAsync("GET", $"/{repo}?list-type=2")).Xml;
        var globsFlat = calls.Count(c => c.Method == nameof(IPachClient.GlobFileAsync));
        var nested = (await gateway.SendAsync("GET", $"/{repo}?list-type=2&delimiter=%2F")).Xml;

        var etags = flat.Descendants("Contents").ToDictionary(c => c.Element("Key")!.Value, c => c.Element("ETag")!.Value);
        Assert.All(new[] { "a/1", "a/2", "b", "c/1", "d", "e" }, k => Assert.Equal(Md5ETag("content of " + k), etags[k]));
        Assert.EndsWith("-1\"", etags["pachctl.txt"], StringComparison.Ordinal);
        Assert.Equal(2, globsFlat);
        Assert.DoesNotContain(calls, c => c.Method is nameof(IPachClient.InspectFileAsync) or nameof(IPachClient.GetFileAsync));
        Assert.Equal(["b", "d", "e", "pachctl.txt"], nested.Descendants("Contents").Select(c => c.Element("Key")!.Value));
        Assert.All(nested.Descendants("Contents").Where(c => c.Element("Key")!.Value != "pachctl.txt"), c => Assert.Equal(Md5ETag("content of " + c.Element("Key")!.Value), c.Element("ETag")!.Value));
    }

    [Fact]
    public async Task Get_ChecksumMode_StoredChecksumOnlyWhenAsked()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.SendAsync("PUT", $"/{repo}/k", "hello", Headers(("x-amz-checksum-crc32", "NhCmhg==")));

        var plain = await _gateway.SendAsync("HEAD", $"/{repo}/k");
        var asked = await _gateway.SendAsync("HEAD", $"/{repo}/k", headers: Headers(("x-amz-checksum-mode", "ENABLED")));

        Assert.False(plain.Headers.ContainsKey("x-amz-checksum-crc32"));
        Assert.Equal("NhCmhg==", asked.Headers["x-amz-checksum-crc32"].ToString());
        Assert.Equal("FULL_OBJECT", asked.Headers["x-amz-checksum-type"].ToString());
    }

    [Theory]
    [InlineData("x-amz-meta-big", 2100, "MetadataTooLarge")]
    [InlineData("x-amz-tagging", 0, "InvalidArgument")]
    public async Task Put_MetadataS3Refuses_ErrorAndNothingCommitted(string header, int size, string code)
    {
        var repo = await pachd.NewRepoAsync();
        var before = await pachd.CommitCountAsync(repo);
        var value = size > 0 ? new string('v', size) : "dup=1&dup=2";

        var r = await _gateway.SendAsync("PUT", $"/{repo}/k", "x", Headers((header, value)));

        Assert.Equal(400, r.Status);
        Assert.Equal(code, r.ErrorCode);
        Assert.Equal(before, await pachd.CommitCountAsync(repo));
    }

    [Fact]
    public async Task Copy_MetadataDirective_CopyKeepsReplaceTakesTheRequests()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.SendAsync("PUT", $"/{repo}/src", "x", Headers(("Content-Type", "text/x-source"), ("x-amz-meta-a", "source")));

        await _gateway.SendAsync("PUT", $"/{repo}/kept", headers: Headers(("x-amz-copy-source", $"/{repo}/src")));
        await _gateway.SendAsync("PUT", $"/{repo}/replaced", headers: Headers(("x-amz-copy-source", $"/{repo}/src"), ("x-amz-metadata-directive", "REPLACE"), ("Content-Type", "text/x-new")));
        var kept = await _gateway.SendAsync("HEAD", $"/{repo}/kept");
        var replaced = await _gateway.SendAsync("HEAD", $"/{repo}/replaced");

        Assert.Equal(("text/x-source", "source"), (kept.Headers.ContentType.ToString(), kept.Headers["x-amz-meta-a"].ToString()));
        Assert.Equal("text/x-new", replaced.Headers.ContentType.ToString());
        Assert.False(replaced.Headers.ContainsKey("x-amz-meta-a"));
        Assert.Equal(Md5ETag("x"), kept.Headers.ETag.ToString());
        Assert.Equal(Md5ETag("x"), replaced.Headers.ETag.ToString());
    }

    [Fact]
    public async Task Multipart_MetadataFromCreate_PartNumberReads()
    {
        var repo = await pachd.NewRepoAsync();
        var create = await _gateway.SendAsync("POST", $"/{repo}/big.bin?uploads", headers: Headers(("Content-Type", "application/x-big"), ("x-amz-tagging", "kind=big")));
        var id = create.Xml.Element("UploadId")!.Value;
        var part1 = new string('1', 5 * 1024 * 1024);
        var e1 = await _gateway.PartAsync(repo, "big.bin", id, 1, part1);
        var e2 = await _gateway.PartAsync(repo, "big.bin", id, 2, "second");
        await _gateway.SendAsync("POST", $"/{repo}/big.bin?uploadId={id}", Multipart.CompleteBody((1, e1), (2, e2)));

        var head = await _gateway.SendAsync("HEAD", $"/{repo}/big.bin");
        var second = await _gateway.SendAsync("GET", $"/{repo}/big.bin?partNumber=2");
        var tooFar = await _gateway.SendAsync("GET", $"/{repo}/big.bin?partNumber=3");

        Assert.Equal("application/x-big", head.Headers.ContentType.ToString());
        Assert.Equal("1", head.Headers["x-amz-tagging-count"].ToString());
        Assert.EndsWith("-2\"", head.Headers.ETag.ToString(), StringComparison.Ordinal);
        Assert.Equal(206, second.Status);
        Assert.Equal("second", second.Text);
        Assert.Equal("2", second.Headers["x-amz-mp-parts-count"].ToString());
        Assert.Equal($"bytes {part1.Length}-{part1.Length + 5}/{part1.Length + 6}", second.Headers.ContentRange.ToString());
        Assert.Equal(416, tooFar.Status);
        Assert.Equal("InvalidPartNumber", tooFar.ErrorCode);
    }

    [Fact]
    public async Task Get_PartNumberOfASinglePartObject_OneIsTheWholeObject()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.SendAsync("PUT", $"/{repo}/k", "whole");

        var one = await _gateway.SendAsync("GET", $"/{repo}/k?partNumber=1");
        var two = await _gateway.SendAsync("GET", $"/{repo}/k?partNumber=2");

        Assert.Equal((200, "whole"), (one.Status, one.Text));
        Assert.Equal("InvalidPartNumber", two.ErrorCode);
    }

    [Fact]
    public async Task Put_RecordCannotBeWritten_ObjectStoredAndAnsweredWithTheETagItIsServedWith()
    {
        var repo = await pachd.NewRepoAsync();
        var unavailable = new PachException(PachErrorKind.Unavailable, Grpc.Core.StatusCode.Unavailable, "gone");
        var gatewayBranch = new BranchRef(RepoRef.InDefault(repo), "_s3gateway_master").Head;
        var gateway = new Support.Gateway(PachProxy.Wrap(pachd.Client, [], c => c.Method == nameof(IPachClient.ModifyFileAsync) && Equals(c.Args[0], gatewayBranch) ? unavailable : null));

        var put = await gateway.SendAsync("PUT", $"/{repo}/k", "stored anyway");
        var head = await _gateway.SendAsync("HEAD", $"/{repo}/k");

        Assert.Equal(200, put.Status);
        Assert.Equal("stored anyway", await pachd.ReadAsync(repo, "/k"));
        Assert.Equal(head.Headers.ETag.ToString(), put.Headers.ETag.ToString());
    }

    [Fact]
    public async Task GatewayBranch_NeverUserData_DataBranchHoldsOnlyTheObjects()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.SendAsync("PUT", $"/{repo}/only", "x", Headers(("x-amz-meta-a", "1"), ("x-amz-tagging", "t=1")));

        var files = new List<string>();
        await foreach (var f in pachd.Client.GlobFileAsync(new BranchRef(RepoRef.InDefault(repo), "master").Head, "/**"))
        {
            files.Add(f.File.Path);
        }

        Assert.Equal(["/only"], files);
    }
}
