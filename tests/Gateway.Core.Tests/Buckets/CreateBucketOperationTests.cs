using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Buckets;

[Collection(PachdCollection.Name)]
public sealed class CreateBucketOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    private static string NewName() => "c" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Create_NewRepo_RepoAndBranchWithLocation()
    {
        var repo = NewName();
        var gateway = new Support.Gateway(pachd.Client, new GatewayOptions { AuthModeCacheSeconds = 0, Location = "eu-west-1" });

        var r = await gateway.SendAsync("PUT", $"/dev.{repo}", "<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>");

        Assert.Equal(200, r.Status);
        Assert.Equal($"/dev.{repo}", r.Headers.Location.ToString());
        var branch = await pachd.Client.InspectBranchAsync(new BranchRef(RepoRef.InDefault(repo), "dev"));
        Assert.Equal("dev", branch.Branch.Name);
    }

    [Fact]
    public async Task Create_ExistingBranch_200AsS3AnswersInUsEast1AndDataKept()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/kept", "x");

        var r = await _gateway.SendAsync("PUT", $"/master.{repo}");

        Assert.Equal(200, r.Status);
        Assert.Equal("x", await pachd.ReadAsync(repo, "/kept"));
    }

    [Fact]
    public async Task Create_RepoExistsBranchNew_AddsTheBranch()
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("PUT", $"/feature.{repo}");

        Assert.Equal(200, r.Status);
        var branches = new List<string>();
        await foreach (var b in pachd.Client.ListBranchesAsync(RepoRef.InDefault(repo)))
        {
            branches.Add(b.Branch.Name);
        }

        Assert.Equal(["feature", "master"], branches.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/master._s3gateway_mine", 404, "NoSuchBucket")]
    [InlineData("/master.r.nosuchproject", 400, "InvalidBucketName")]
    [InlineData("/a.b.c.d", 400, "InvalidBucketName")]
    public async Task Create_NameThatCannotBeABucket_Refused(string target, int status, string code)
    {
        var r = await _gateway.SendAsync("PUT", target);

        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.ErrorCode);
    }

    [Theory]
    [InlineData("not xml")]
    [InlineData("   ")]
    [InlineData("<CreateBucketConfiguration>")]
    [InlineData("<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint>")]
    [InlineData("<Configuration><LocationConstraint>us-east-1</LocationConstraint></Configuration>")]
    [InlineData("<CreateBucketConfiguration><Region>us-east-1</Region></CreateBucketConfiguration>")]
    [InlineData("<CreateBucketConfiguration><LocationConstraint>us-east-1</LocationConstraint><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>")]
    [InlineData("<CreateBucketConfiguration><LocationConstraint><Name>us-east-1</Name></LocationConstraint></CreateBucketConfiguration>")]
    [InlineData("<!DOCTYPE c [<!ENTITY r \"us-east-1\">]><CreateBucketConfiguration><LocationConstraint>&r;</LocationConstraint></CreateBucketConfiguration>")]
    public async Task Create_MalformedConfiguration_MalformedXmlAndNothingCreated(string body)
    {
        var repo = NewName();

        var r = await _gateway.SendAsync("PUT", $"/master.{repo}", body);

        Assert.Equal(400, r.Status);
        Assert.Equal("MalformedXML", r.ErrorCode);
        Assert.False(await pachd.RepoExistsAsync(repo));
    }

    [Theory]
    [InlineData("eu-west-1")]
    [InlineData("us-west-2")]
    [InlineData("EU")]
    public async Task Create_OtherRegion_IllegalLocationConstraintAndNothingCreated(string region)
    {
        var repo = NewName();

        var r = await _gateway.SendAsync("PUT", $"/master.{repo}", Configuration(region));

        Assert.Equal(400, r.Status);
        Assert.Equal("IllegalLocationConstraintException", r.ErrorCode);
        Assert.Equal($"The {region} location constraint is incompatible for the region specific endpoint this request was sent to.", r.Xml.One("Message"));
        Assert.False(await pachd.RepoExistsAsync(repo));
    }

    [Theory]
    [InlineData("not a region")]
    [InlineData("US-EAST-1")]
    [InlineData("us-east-1 ")]
    public async Task Create_NoSuchRegion_InvalidLocationConstraintAndNothingCreated(string region)
    {
        var repo = NewName();

        var r = await _gateway.SendAsync("PUT", $"/master.{repo}", Configuration(region));

        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidLocationConstraint", r.ErrorCode);
        Assert.False(await pachd.RepoExistsAsync(repo));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<CreateBucketConfiguration/>")]
    [InlineData("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint/></CreateBucketConfiguration>")]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n  <LocationConstraint>us-east-1</LocationConstraint>\n</CreateBucketConfiguration>\n")]
    public async Task Create_DefaultRegionOrNone_Created(string body)
    {
        var repo = NewName();

        var r = await _gateway.SendAsync("PUT", $"/master.{repo}", body);

        Assert.Equal(200, r.Status);
        Assert.True(await pachd.RepoExistsAsync(repo));
    }

    [Theory]
    [InlineData("eu-north-1", 200, null)]
    [InlineData(null, 200, null)]
    [InlineData("us-east-1", 400, "IllegalLocationConstraintException")]
    [InlineData("eu-west-1", 400, "IllegalLocationConstraintException")]
    public async Task Create_ConfiguredRegion_OnlyThatRegionOrNone(string? region, int status, string? code)
    {
        var repo = NewName();
        var gateway = new Support.Gateway(pachd.Client, new GatewayOptions { AuthModeCacheSeconds = 0, Location = "eu-north-1" });

        var r = await gateway.SendAsync("PUT", $"/master.{repo}", region is null ? "<CreateBucketConfiguration/>" : Configuration(region));

        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.ErrorCode);
        Assert.Equal(status == 200, await pachd.RepoExistsAsync(repo));
    }

    [Theory]
    [InlineData("<Location><Name>usw2-az1</Name><Type>AvailabilityZone</Type></Location>", "Location")]
    [InlineData("<Bucket><DataRedundancy>SingleAvailabilityZone</DataRedundancy><Type>Directory</Type></Bucket>", "Bucket")]
    [InlineData("<Tags><Tag><Key>k</Key><Value>v</Value></Tag></Tags>", "Tags")]
    public async Task Create_DirectoryBucketOrTags_NotImplementedAndNothingCreated(string element, string name)
    {
        var repo = NewName();

        var r = await _gateway.SendAsync("PUT", $"/master.{repo}", $"<CreateBucketConfiguration>{element}</CreateBucketConfiguration>");

        Assert.Equal(501, r.Status);
        Assert.Equal("NotImplemented", r.ErrorCode);
        Assert.Contains(name, r.Xml.One("Message"), StringComparison.Ordinal);
        Assert.False(await pachd.RepoExistsAsync(repo));
    }

    [Fact]
    public async Task Create_ConfigurationOverTheXmlLimit_MaxMessageLengthExceededAndNothingCreated()
    {
        var repo = NewName();
        var body = Configuration("us-east-1");
        var gateway = new Support.Gateway(pachd.Client, s3Options: new S3.S3ProtocolOptions { MaxXmlBodyBytes = body.Length - 1 });

        var r = await gateway.SendAsync("PUT", $"/master.{repo}", body);

        Assert.Equal(400, r.Status);
        Assert.Equal("MaxMessageLengthExceeded", r.ErrorCode);
        Assert.False(await pachd.RepoExistsAsync(repo));
    }

    private static string Configuration(string region) =>
        $"<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>{region}</LocationConstraint></CreateBucketConfiguration>";
}
