using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;

namespace Gateway.Integration.Tests;

[Collection(AuthOffCollection.Name)]
[Trait("Host", "Any")]
public sealed class AwsSdkBucketTests(AuthOffFixture fx)
{
    [Fact]
    public async Task Buckets_CreateListHeadDelete_RoundTrip()
    {
        using var s3 = fx.Aws();
        var repo = GatewayFixture.NewName("bkt");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = repo });

        var list = await s3.ListBucketsAsync();
        Assert.Contains(list.Buckets, b => b.BucketName == "master." + repo);

        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/master." + repo)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        var location = await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = repo });
        Assert.True(string.IsNullOrEmpty(location.Location?.Value) || location.Location.Value == "us-east-1");

        var versioning = await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = repo });
        Assert.Equal(VersionStatus.Enabled, versioning.VersioningConfig.Status);

        await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = "master." + repo });
        list = await s3.ListBucketsAsync();
        Assert.DoesNotContain(list.Buckets ?? [], b => b.BucketName == "master." + repo);
        using var gone = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/master." + repo));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task CreateBucket_Twice_200AsS3AnswersInUsEast1()
    {
        using var s3 = fx.Aws();
        var repo = GatewayFixture.NewName("dup");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = repo });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = repo, Key = "kept", ContentBody = "x" });

        var again = await s3.PutBucketAsync(new PutBucketRequest { BucketName = "master." + repo });

        Assert.Equal(HttpStatusCode.OK, again.HttpStatusCode);
        Assert.Single((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = repo })).S3Objects);
    }

    [Fact]
    public async Task CreateBucket_SecondBranchOfRepo_BothListed()
    {
        using var s3 = fx.Aws();
        var repo = GatewayFixture.NewName("two");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = repo });
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "dev." + repo });
        var names = (await s3.ListBucketsAsync()).Buckets.Select(b => b.BucketName).ToList();
        Assert.Contains("master." + repo, names);
        Assert.Contains("dev." + repo, names);

        // Deleting one branch keeps the repo (and the other bucket).
        await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = "dev." + repo });
        names = (await s3.ListBucketsAsync()).Buckets.Select(b => b.BucketName).ToList();
        Assert.Contains("master." + repo, names);
        Assert.DoesNotContain("dev." + repo, names);
    }

    [Fact]
    public async Task DeleteBucket_WithObject_BucketNotEmpty()
    {
        using var s3 = fx.Aws();
        var bucket = "master." + GatewayFixture.NewName("full");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a/b.txt", ContentBody = "x" });
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket }));
        Assert.Equal("BucketNotEmpty", e.ErrorCode);
    }

    [Theory]
    [InlineData("a.b.c.d")]
    [InlineData("bad!name")]
    public async Task CreateBucket_InvalidName_InvalidBucketName(string name)
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        using var response = await http.PutAsync("/" + name, null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>InvalidBucketName</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListObjects_MissingBucket_NoSuchBucket()
    {
        using var s3 = fx.Aws();
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "master." + GatewayFixture.NewName("none") }));
        Assert.Equal("NoSuchBucket", e.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public async Task Bucket_UnderscoreAndUpperCaseRepo_WorksPathStyle()
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        var repo = "My_Repo_" + Guid.NewGuid().ToString("N")[..6];
        using (var put = await http.PutAsync("/" + repo, null))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var obj = await http.PutAsync($"/master.{repo}/k.txt", new StringContent("v"));
        Assert.Equal(HttpStatusCode.OK, obj.StatusCode);
        Assert.Equal("v", await http.GetStringAsync($"/{repo}/k.txt"));
    }
}
