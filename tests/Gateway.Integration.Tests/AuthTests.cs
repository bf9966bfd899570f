using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;

namespace Gateway.Integration.Tests;

[Collection(AuthOffCollection.Name)]
[Trait("Host", "Any")]
public sealed class AuthOffTests(AuthOffFixture fx)
{
    [Fact]
    public async Task Unsigned_AuthOff_Accepted()
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        using var response = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ListAllMyBucketsResult", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("x-amz-request-id"));
    }

    [Fact]
    public async Task Signed_AnyEqualPair_Accepted()
    {
        using var s3 = fx.Aws("whatever-1234");
        await s3.ListBucketsAsync();
    }

    [Fact]
    public async Task Signed_SecretDiffersFromAccessKey_SignatureDoesNotMatch()
    {
        using var s3 = fx.Aws("access-key", "wrong-secret");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListBucketsAsync());
        Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
    }
}

[Collection(AuthOnCollection.Name)]
[Trait("Host", "Any")]
public sealed class AuthOnTests(AuthOnFixture fx)
{
    [Fact]
    public async Task Token_AsAccessAndSecret_FullRoundTrip()
    {
        using var s3 = fx.Aws(fx.RootToken);
        var repo = GatewayFixture.NewName("auth");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = repo });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = repo, Key = "k", ContentBody = "secret data" });
        using var get = await s3.GetObjectAsync(repo, "k");
        Assert.Equal("secret data", new StreamReader(get.ResponseStream).ReadToEnd());
        Assert.Contains((await s3.ListBucketsAsync()).Buckets, b => b.BucketName == "master." + repo);
    }

    [Fact]
    public async Task Minio_TokenCredentials_Work()
    {
        using var minio = fx.Minio(fx.RootToken);
        var bucket = "master." + GatewayFixture.NewName("mauth");
        await minio.MakeBucketAsync(new Minio.DataModel.Args.MakeBucketArgs().WithBucket(bucket));
        Assert.True(await minio.BucketExistsAsync(new Minio.DataModel.Args.BucketExistsArgs().WithBucket(bucket)));
    }

    [Fact]
    public async Task RobotToken_AsCredentials_Authenticates()
    {
        var robot = await fx.Pach.GetRobotTokenAsync("it-robot-" + Guid.NewGuid().ToString("N")[..6]);
        using var s3 = fx.Aws(robot);
        await s3.ListBucketsAsync();
    }

    [Fact]
    public async Task WrongToken_InvalidAccessKeyId()
    {
        using var s3 = fx.Aws("not-a-token");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListBucketsAsync());
        Assert.Equal("InvalidAccessKeyId", e.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
    }

    [Fact]
    public async Task RightTokenWrongSecret_SignatureDoesNotMatch()
    {
        using var s3 = fx.Aws(fx.RootToken, "something-else");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListBucketsAsync());
        Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
    }

    [Fact]
    public async Task Unsigned_AuthOn_AccessDenied()
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        using var response = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("<Code>AccessDenied</Code>", body, StringComparison.Ordinal);
        Assert.DoesNotContain(fx.RootToken, body, StringComparison.Ordinal);
    }
}
