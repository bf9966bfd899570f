using Gateway.Core.Objects;
using Gateway.Core.Tests.Support;

namespace Gateway.Core.Tests.Objects;

[Collection(PachdCollection.Name)]
public sealed class GetObjectTaggingOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Fact]
    public async Task Tagging_ExistingObject_EmptyTagSetWithVersion()
    {
        var repo = await pachd.NewRepoAsync();
        var commit = await pachd.PutAsync(repo, "/k", "x");

        var r = await new GetObjectTaggingOperation().RunAsync(await _gateway.CallAsync("GET", $"/{repo}/k?tagging"));

        var xml = await r.XmlAsync();
        Assert.Equal("Tagging", xml.Name.LocalName);
        Assert.Empty(Assert.Single(xml.Elements("TagSet")).Elements());
        Assert.Equal(commit, r.Headers["x-amz-version-id"].ToString());
    }

    [Fact]
    public async Task Tagging_ThroughThePipeline_ServedNotNotImplemented()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/k", "x");

        var ok = await _gateway.SendAsync("GET", $"/{repo}/k?tagging");
        var missing = await _gateway.SendAsync("GET", $"/{repo}/nope?tagging");
        var bucketTagging = await _gateway.SendAsync("PUT", $"/{repo}?tagging", "<Tagging><TagSet/></Tagging>");

        Assert.Equal(200, ok.Status);
        Assert.Equal("NoSuchKey", missing.ErrorCode);
        Assert.Equal("NotImplemented", bucketTagging.ErrorCode);
    }
}
