using Gateway.Core.Tests.Support;
using Gateway.Core.Uploads;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Uploads;

public sealed class CreateMultipartUploadOperationTests
{
    [Fact]
    public async Task Create_FirstUseOnAFreshPachd_CreatesTheGatewayBranchAndWritesTheManifest()
    {
        var pachd = new PachdServer();
        await pachd.InitializeAsync();
        try
        {
            var repo = await pachd.NewRepoAsync();
            var gateway = new Support.Gateway(pachd.Client);

            var r = await gateway.SendAsync("POST", $"/{repo}/dir/obj.bin?uploads", headers: new Dictionary<string, string> { ["x-amz-checksum-algorithm"] = "crc32c" });

            Assert.Equal(200, r.Status);
            var id = r.Xml.Element("UploadId")!.Value;
            Assert.True(UploadIds.IsValid(id));
            Assert.Equal("dir/obj.bin", r.Xml.Element("Key")!.Value);
            Assert.Equal("CRC32C", r.Headers["x-amz-checksum-algorithm"].ToString());
            var manifests = new List<string>();
            await foreach (var f in pachd.Client.GlobFileAsync(new BranchRef(RepoRef.InDefault(repo), "_s3gateway_master").Head, $"/uploads/*/{id}/manifest-*"))
            {
                manifests.Add(f.File.Path);
            }

            Assert.Single(manifests);
            Assert.StartsWith($"/uploads/{UploadLayout.EncodeKey("dir/obj.bin")}/{id}/manifest-", manifests[0], StringComparison.Ordinal);
        }
        finally
        {
            await pachd.DisposeAsync();
        }
    }
}

[Collection(PachdCollection.Name)]
public sealed class CreateMultipartUploadRefusalTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Theory]
    [InlineData("dir/", "InvalidArgument")]
    [InlineData("a/../b", "InvalidArgument")]
    public async Task Create_KeyThatCannotHoldData_InvalidArgumentWithoutWrites(string key, string code)
    {
        var repo = await pachd.NewRepoAsync();
        var before = await pachd.UploadsCommitCountAsync(repo);

        var r = await _gateway.SendAsync("POST", $"/{repo}/{key}?uploads");

        Assert.Equal(code, r.ErrorCode);
        Assert.Equal(before, await pachd.UploadsCommitCountAsync(repo));
    }

    [Fact]
    public async Task Create_MissingBucket_NoSuchBucket()
    {
        var r = await _gateway.SendAsync("POST", "/nosuchrepo4/k?uploads");

        Assert.Equal("NoSuchBucket", r.ErrorCode);
    }

    [Fact]
    public async Task Create_GatewayBranchRefused_AccessDenied()
    {
        var repo = await pachd.NewRepoAsync();
        var denied = new PachException(PachErrorKind.NotAuthorized, Grpc.Core.StatusCode.PermissionDenied, "not authorized");
        var gateway = new Support.Gateway(PachProxy.Failing(pachd.Client, nameof(IPachClient.ModifyFileAsync), denied));

        var r = await gateway.SendAsync("POST", $"/{repo}/k?uploads");

        Assert.Equal(403, r.Status);
        Assert.Equal("AccessDenied", r.ErrorCode);
    }
}
