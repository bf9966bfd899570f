using Gateway.Core.Tests.Support;

namespace Gateway.Core.Tests.Uploads;

[Collection(PachdCollection.Name)]
public sealed class UploadPartOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Fact]
    public async Task UploadPart_OneCommitInTheUploadsRepo_ReuploadReplacesThePart()
    {
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");
        var before = await pachd.UploadsCommitCountAsync(repo);
        var destinationBefore = await pachd.CommitCountAsync(repo);

        var first = await _gateway.PartAsync(repo, "k", id, 7, "hello");
        Assert.Equal(before + 1, await pachd.UploadsCommitCountAsync(repo));
        var second = await _gateway.PartAsync(repo, "k", id, 7, "a longer replacement");

        var parts = (await _gateway.SendAsync("GET", $"/{repo}/k?uploadId={id}")).Xml.Elements("Part").ToList();
        var part = Assert.Single(parts);
        Assert.Equal("7", part.Element("PartNumber")!.Value);
        Assert.Equal("20", part.Element("Size")!.Value);
        Assert.Equal(second, part.Element("ETag")!.Value);
        Assert.NotEqual(first, second);
        Assert.Equal(destinationBefore, await pachd.CommitCountAsync(repo));
    }

    [Fact]
    public async Task UploadPart_WithChecksum_EchoedAndListed()
    {
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");

        var r = await _gateway.SendAsync("PUT", $"/{repo}/k?uploadId={id}&partNumber=1", "hello", new Dictionary<string, string> { ["x-amz-checksum-crc32"] = "NhCmhg==" });

        Assert.Equal("NhCmhg==", r.Headers["x-amz-checksum-crc32"].ToString());
        var listed = (await _gateway.SendAsync("GET", $"/{repo}/k?uploadId={id}")).Xml;
        Assert.Equal("NhCmhg==", listed.Descendants("ChecksumCRC32").Single().Value);
    }

    [Fact]
    public async Task UploadPart_BadChecksum_BadDigestAndNoPart()
    {
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");
        var before = await pachd.UploadsCommitCountAsync(repo);

        var r = await _gateway.SendAsync("PUT", $"/{repo}/k?uploadId={id}&partNumber=1", "hello", new Dictionary<string, string> { ["x-amz-checksum-crc32"] = "AAAAAA==" });

        Assert.Equal("BadDigest", r.ErrorCode);
        Assert.Equal(before, await pachd.UploadsCommitCountAsync(repo));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    [InlineData("x")]
    public async Task UploadPart_BadPartNumber_InvalidArgument(string partNumber)
    {
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");

        var r = await _gateway.SendAsync("PUT", $"/{repo}/k?uploadId={id}&partNumber={partNumber}", "x");

        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidArgument", r.ErrorCode);
    }

    [Fact]
    public async Task UploadPart_UnknownUpload_NoSuchUploadNamingIt()
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("PUT", $"/{repo}/k?uploadId=0123456789abcdef0123456789abcdef&partNumber=1", "x");

        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchUpload", r.ErrorCode);
        Assert.Equal("0123456789abcdef0123456789abcdef", r.Xml.Element("UploadId")!.Value);
    }
}
