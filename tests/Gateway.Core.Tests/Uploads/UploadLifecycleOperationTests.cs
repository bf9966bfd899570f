using Gateway.Core.Tests.Support;

namespace Gateway.Core.Tests.Uploads;

/// <summary>AbortMultipartUpload, ListParts and ListMultipartUploads.</summary>
[Collection(PachdCollection.Name)]
public sealed class UploadLifecycleOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Fact]
    public async Task Abort_UnknownUpload_NoSuchUploadWithoutWrites()
    {
        var repo = await pachd.NewRepoAsync();
        var before = await pachd.UploadsCommitCountAsync(repo);

        var r = await _gateway.SendAsync("DELETE", $"/{repo}/dir/obj.bin?uploadId=0123456789abcdef0123456789abcdef");

        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchUpload", r.ErrorCode);
        Assert.Equal(before, await pachd.UploadsCommitCountAsync(repo));
    }

    [Fact]
    public async Task Abort_Existing_UploadAndPartsGone()
    {
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");
        await _gateway.PartAsync(repo, "k", id, 1, "x");

        var r = await _gateway.SendAsync("DELETE", $"/{repo}/k?uploadId={id}");

        Assert.Equal(204, r.Status);
        Assert.Equal("NoSuchUpload", (await _gateway.SendAsync("GET", $"/{repo}/k?uploadId={id}")).ErrorCode);
        Assert.Empty((await _gateway.SendAsync("GET", $"/{repo}?uploads")).Xml.Elements("Upload"));
    }

    [Fact]
    public async Task ListParts_Paged_InNumericOrder()
    {
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");
        foreach (var n in new[] { 3, 1, 12, 2 })
        {
            await _gateway.PartAsync(repo, "k", id, n, new string('x', n));
        }

        var first = (await _gateway.SendAsync("GET", $"/{repo}/k?uploadId={id}&max-parts=3")).Xml;
        var rest = (await _gateway.SendAsync("GET", $"/{repo}/k?uploadId={id}&part-number-marker={first.Element("NextPartNumberMarker")!.Value}")).Xml;

        Assert.Equal(["1", "2", "3"], first.Elements("Part").Select(p => p.Element("PartNumber")!.Value));
        Assert.Equal("true", first.Element("IsTruncated")!.Value);
        Assert.Equal(["12"], rest.Elements("Part").Select(p => p.Element("PartNumber")!.Value));
        Assert.Equal("false", rest.Element("IsTruncated")!.Value);
    }

    [Fact]
    public async Task ListMultipartUploads_PrefixAndDelimiter_RollsUpCommonPrefixes()
    {
        var repo = await pachd.NewRepoAsync();
        var a = await _gateway.CreateAsync(repo, "logs/a");
        await _gateway.CreateAsync(repo, "logs/sub/b");
        await _gateway.CreateAsync(repo, "other");

        var r = (await _gateway.SendAsync("GET", $"/{repo}?uploads&prefix=logs%2F&delimiter=%2F")).Xml;

        var upload = Assert.Single(r.Elements("Upload"));
        Assert.Equal("logs/a", upload.Element("Key")!.Value);
        Assert.Equal(a, upload.Element("UploadId")!.Value);
        Assert.Equal(["logs/sub/"], r.Elements("CommonPrefixes").Select(p => p.Element("Prefix")!.Value));
    }
}
