using Gateway.Core.Buckets;
using Gateway.Core.Tests.Support;

namespace Gateway.Core.Tests.Buckets;

/// <summary>HeadBucket, GetBucketLocation, GetBucketVersioning and PutBucketVersioning.</summary>
[Collection(PachdCollection.Name)]
public sealed class BucketReadOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Fact]
    public async Task HeadBucket_ExistingAndMissing_200And404WithoutBody()
    {
        var repo = await pachd.NewRepoAsync();

        var ok = await _gateway.SendAsync("HEAD", $"/{repo}");
        var missing = await _gateway.SendAsync("HEAD", "/nosuchrepo5");

        Assert.Equal(200, ok.Status);
        Assert.Equal(404, missing.Status);
        Assert.Empty(missing.Body);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("eu-central-1", "eu-central-1")]
    public async Task GetBucketLocation_ConfiguredLocation(string location, string expected)
    {
        var repo = await pachd.NewRepoAsync();

        var r = await new GetBucketLocationOperation(location).RunAsync(await _gateway.CallAsync("GET", $"/{repo}?location"));

        var xml = await r.XmlAsync();
        Assert.Equal("LocationConstraint", xml.Name.LocalName);
        Assert.Equal(expected, xml.Value);
    }

    [Fact]
    public async Task GetBucketVersioning_AlwaysEnabled()
    {
        var repo = await pachd.NewRepoAsync();

        var r = await new GetBucketVersioningOperation().RunAsync(await _gateway.CallAsync("GET", $"/{repo}?versioning"));

        Assert.Equal("Enabled", (await r.XmlAsync()).One("Status"));
    }

    [Theory]
    [InlineData("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>", 200, null)]
    [InlineData("<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>", 409, "InvalidBucketState")]
    [InlineData("<VersioningConfiguration><Status>Off</Status></VersioningConfiguration>", 400, "IllegalVersioningConfigurationException")]
    [InlineData("<VersioningConfiguration><Nope/></VersioningConfiguration>", 400, "MalformedXML")]
    public async Task PutBucketVersioning_Body_StatusOrError(string body, int status, string? code)
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("PUT", $"/{repo}?versioning", body);

        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.ErrorCode);
    }

    [Fact]
    public async Task GetBucketLocation_MissingBucket_NoSuchBucket()
    {
        var r = await _gateway.SendAsync("GET", "/nosuchrepo6?location");

        Assert.Equal("NoSuchBucket", r.ErrorCode);
    }
}
