using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Uploads;

[Collection(PachdCollection.Name)]
public sealed class UploadPartCopyOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Fact]
    public async Task UploadPartCopy_WholeSource_CopiedInsidePachd()
    {
        var source = await pachd.NewRepoAsync();
        var sourceCommit = await pachd.PutAsync(source, "/src", "0123456789");
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");
        var calls = new List<PachCall>();
        var gateway = new Support.Gateway(PachProxy.Wrap(pachd.Client, calls));

        var r = await gateway.SendAsync("PUT", $"/{repo}/k?uploadId={id}&partNumber=1", headers: new Dictionary<string, string> { ["x-amz-copy-source"] = $"/{source}/src" });

        Assert.Equal(200, r.Status);
        Assert.Equal(sourceCommit, r.Headers["x-amz-copy-source-version-id"].ToString());
        Assert.DoesNotContain(calls, c => c.Method == nameof(IPachClient.GetFileAsync) && ((FileRef)c.Args[0]!).Path == "/src");
        var etag = r.Xml.Element("ETag")!.Value;
        var complete = await _gateway.SendAsync("POST", $"/{repo}/k?uploadId={id}", Multipart.CompleteBody((1, etag)));
        Assert.Equal(200, complete.Status);
        Assert.Equal("0123456789", await pachd.ReadAsync(repo, "/k"));
    }

    [Fact]
    public async Task UploadPartCopy_Range_ThoseBytes()
    {
        var source = await pachd.NewRepoAsync();
        await pachd.PutAsync(source, "/src", "0123456789");
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");
        var headers = new Dictionary<string, string> { ["x-amz-copy-source"] = $"/{source}/src", ["x-amz-copy-source-range"] = "bytes=3-6" };

        var r = await _gateway.SendAsync("PUT", $"/{repo}/k?uploadId={id}&partNumber=1", headers: headers);

        Assert.Equal(200, r.Status);
        await _gateway.SendAsync("POST", $"/{repo}/k?uploadId={id}", Multipart.CompleteBody((1, r.Xml.Element("ETag")!.Value)));
        Assert.Equal("3456", await pachd.ReadAsync(repo, "/k"));
    }

    [Fact]
    public async Task UploadPartCopy_RangeBeyondTheSource_InvalidRange()
    {
        var source = await pachd.NewRepoAsync();
        await pachd.PutAsync(source, "/src", "0123456789");
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");
        var headers = new Dictionary<string, string> { ["x-amz-copy-source"] = $"/{source}/src", ["x-amz-copy-source-range"] = "bytes=5-10" };

        var r = await _gateway.SendAsync("PUT", $"/{repo}/k?uploadId={id}&partNumber=1", headers: headers);

        Assert.Equal(416, r.Status);
        Assert.Equal("InvalidRange", r.ErrorCode);
    }
}
