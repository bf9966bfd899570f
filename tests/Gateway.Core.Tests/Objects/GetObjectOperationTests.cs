using Gateway.Core.Objects;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Objects;

[Collection(PachdCollection.Name)]
public sealed class GetObjectOperationTests(PachdServer pachd)
{
    private static readonly GetObjectOperation _get = new(sendBody: true);
    private static readonly GetObjectOperation _head = new(sendBody: false);

    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Fact]
    public async Task Get_Range_206FromTheOffsetOfTheInspectedVersion()
    {
        var repo = await pachd.NewRepoAsync();
        var commit = await pachd.PutAsync(repo, "/f.txt", "0123456789");

        await using var r = await _get.RunAsync(await _gateway.CallAsync("GET", $"/{repo}/f.txt", headers: new Dictionary<string, string> { ["Range"] = "bytes=2-4" }));

        Assert.Equal(206, r.StatusCode);
        Assert.Equal(3, r.ContentLength);
        Assert.Equal("234", await r.ContentAsync());
        Assert.Equal("bytes 2-4/10", r.Headers.ContentRange.ToString());
        Assert.Equal("text/plain", r.Headers.ContentType.ToString());
        Assert.Equal("bytes", r.Headers.AcceptRanges.ToString());
        Assert.Equal(commit, r.Headers["x-amz-version-id"].ToString());
        var info = await pachd.Client.InspectFileAsync(new FileRef(new BranchRef(RepoRef.InDefault(repo), "master").Head, "/f.txt"));
        Assert.Equal(ETag.FromHash(info.Hash), r.Headers.ETag.ToString());
    }

    [Theory]
    [InlineData("bytes=10-")]
    [InlineData("bytes=-0")]
    public async Task Get_UnsatisfiableRange_416CarryingTheSize(string range)
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/f", "0123456789");

        var r = await _gateway.SendAsync("GET", $"/{repo}/f", headers: new Dictionary<string, string> { ["Range"] = range });

        Assert.Equal(416, r.Status);
        Assert.Equal("InvalidRange", r.ErrorCode);
        Assert.Equal("bytes */10", r.Headers.ContentRange.ToString());
    }

    [Fact]
    public async Task Head_HeadersOnly_NeverOpensTheContent()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/big.bin", new string('x', 5000));

        await using var r = await _head.RunAsync(await _gateway.CallAsync("HEAD", $"/{repo}/big.bin"));

        Assert.Equal(200, r.StatusCode);
        Assert.Equal(5000, r.ContentLength);
        Assert.Null(r.Content);
        Assert.Equal("application/octet-stream", r.Headers.ContentType.ToString());
    }

    [Theory]
    [InlineData("If-None-Match", "MATCH", 304)]
    [InlineData("If-Match", "\"nope-1\"", 412)]
    [InlineData("If-Modified-Since", "Sat, 01 Jan 2039 00:00:00 GMT", 304)]
    [InlineData("If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT", 412)]
    [InlineData("If-Match", "MATCH", 200)]
    public async Task Head_Conditionals_Status(string header, string value, int status)
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/f", "abc");
        if (value == "MATCH")
        {
            value = (await _gateway.SendAsync("HEAD", $"/{repo}/f")).Headers.ETag.ToString();
        }

        var r = await _gateway.SendAsync("HEAD", $"/{repo}/f", headers: new Dictionary<string, string> { [header] = value });

        Assert.Equal(status, r.Status);
    }

    [Fact]
    public async Task Get_MissingFileAndBucket_NoSuchBucket()
    {
        var r = await _gateway.SendAsync("GET", "/nosuchrepo123/f");

        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchBucket", r.ErrorCode);
        Assert.Equal("nosuchrepo123", r.Xml.Element("BucketName")!.Value);
    }

    [Theory]
    [InlineData("f", "f")]
    [InlineData("dir/", "dir/")]
    [InlineData("caf%C3%A9", "café")]
    [InlineData("a+b", "a+b")]
    public async Task Get_NothingAtTheKey_NoSuchKeyNamingIt(string rawKey, string key)
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/dir/x", "in a directory");

        var r = await _gateway.SendAsync("GET", $"/{repo}/{rawKey}");

        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchKey", r.ErrorCode);
        Assert.Equal(key, r.Xml.Element("Key")!.Value);
    }

    [Fact]
    public async Task Get_UnknownVersionId_NoSuchVersionNamingIt()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/f", "v1");

        var r = await _gateway.SendAsync("GET", $"/{repo}/f?versionId=0123456789ab4def0123456789abcdef");

        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchVersion", r.ErrorCode);
        Assert.Equal("0123456789ab4def0123456789abcdef", r.Xml.Element("VersionId")!.Value);
    }

    [Fact]
    public async Task Get_OlderVersionId_ReadsThatVersion()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await pachd.PutAsync(repo, "/f", "first");
        await pachd.PutAsync(repo, "/f", "second, longer");

        await using var r = await _get.RunAsync(await _gateway.CallAsync("GET", $"/{repo}/f?versionId={v1}"));

        Assert.Equal("first", await r.ContentAsync());
        Assert.Equal(v1, r.Headers["x-amz-version-id"].ToString());
    }

    [Fact]
    public async Task Get_CommitPinnedBucket_ReadsAtThatCommit()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await pachd.PutAsync(repo, "/f", "first");
        await pachd.PutAsync(repo, "/f", "second");

        await using var r = await _get.RunAsync(await _gateway.CallAsync("GET", $"/{v1}.master.{repo}/f"));

        Assert.Equal("first", await r.ContentAsync());
    }

    [Fact]
    public async Task Get_ResponseOverrides_ReplaceTheHeaders()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/f.txt", "x");

        await using var r = await _get.RunAsync(await _gateway.CallAsync("GET", $"/{repo}/f.txt?response-content-type=image%2Fpng&response-cache-control=no-cache"));

        Assert.Equal("image/png", r.Headers.ContentType.ToString());
        Assert.Equal("no-cache", r.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task Get_WholeObjectThroughThePipeline_BytesAndLength()
    {
        var repo = await pachd.NewRepoAsync();
        var content = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + (i % 26))));
        await pachd.PutAsync(repo, "/big.txt", content);

        var r = await _gateway.SendAsync("GET", $"/{repo}/big.txt");

        Assert.Equal(200, r.Status);
        Assert.Equal(content.Length, r.Headers.ContentLength);
        Assert.Equal(content, r.Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Get_WholeObject_SameAnswerWithOrWithoutAnInspectFile(bool asPachd)
    {
        var repo = await pachd.NewRepoAsync();
        var put = await _gateway.SendAsync("PUT", $"/{repo}/photos/cat.jpg", "meow", new Dictionary<string, string> { ["x-amz-meta-owner"] = "tom", ["Content-Type"] = "image/jpeg" });
        var calls = new List<PachCall>();
        var client = PachProxy.Wrap(asPachd ? PachProxy.AsPachd(pachd.Client) : pachd.Client, calls);

        var r = await new Support.Gateway(client).SendAsync("GET", $"/{repo}/photos/cat.jpg");

        Assert.Equal(200, r.Status);
        Assert.Equal("meow", r.Text);
        Assert.Equal(4, r.Headers.ContentLength);
        Assert.Equal("\"" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("meow"u8)) + "\"", r.Headers.ETag.ToString());
        Assert.Equal(put.Headers["x-amz-version-id"].ToString(), r.Headers["x-amz-version-id"].ToString());
        Assert.Equal("tom", r.Headers["x-amz-meta-owner"].ToString());
        Assert.Equal("image/jpeg", r.Headers.ContentType.ToString());
        Assert.False(string.IsNullOrEmpty(r.Headers.LastModified.ToString()));
        // Against LocalPachd the GetFile that serves the bytes also describes them; against pachd an InspectFile does.
        Assert.Equal(asPachd ? 1 : 0, calls.Count(c => c.Method == nameof(IPachClient.InspectFileAsync)));
    }

    [Fact]
    public async Task Get_WholeObjectWrittenOutsideTheGateway_DescribedAsInspectFileDoes()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/f", "first");
        await pachd.PutAsync(repo, "/f", "second!");
        var head = await pachd.PutAsync(repo, "/other", "x");
        var info = await pachd.Client.InspectFileAsync(new FileRef(new BranchRef(RepoRef.InDefault(repo), "master").Head, "/f"));

        var r = await _gateway.SendAsync("GET", $"/{repo}/f");

        Assert.Equal("second!", r.Text);
        Assert.Equal(7, r.Headers.ContentLength);
        Assert.Equal(ETag.FromHash(info.Hash), r.Headers.ETag.ToString());
        Assert.Equal(head, r.Headers["x-amz-version-id"].ToString());
        Assert.Equal(Microsoft.Net.Http.Headers.HeaderUtilities.FormatDate(info.Committed.ToDateTimeOffset()), r.Headers.LastModified.ToString());
    }

    [Theory]
    [InlineData("If-None-Match", 304)]
    [InlineData("If-Match", 200)]
    public async Task Get_WholeObjectConditionals_Status(string header, int status)
    {
        var repo = await pachd.NewRepoAsync();
        var put = await _gateway.SendAsync("PUT", $"/{repo}/f", "data");

        var r = await _gateway.SendAsync("GET", $"/{repo}/f", headers: new Dictionary<string, string> { [header] = put.Headers.ETag.ToString() });

        Assert.Equal(status, r.Status);
        Assert.Equal(status == 200 ? "data" : string.Empty, r.Text);
    }

    [Fact]
    public async Task Get_EmptyObject_200WithNoBody()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.SendAsync("PUT", $"/{repo}/empty", "");

        var r = await _gateway.SendAsync("GET", $"/{repo}/empty");

        Assert.Equal(200, r.Status);
        Assert.Equal(0, r.Headers.ContentLength);
        Assert.Empty(r.Body);
    }

    [Fact]
    public async Task Get_DirectoryAtTheKey_NoSuchKey()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/dir/f", "x");

        var r = await _gateway.SendAsync("GET", $"/{repo}/dir");

        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchKey", r.ErrorCode);
    }
}
