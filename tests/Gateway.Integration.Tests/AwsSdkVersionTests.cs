using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Integration.Tests;

/// <summary>Version history through the AWS SDK for .NET: listing with its paginator, versioned reads, copies and removals.</summary>
public abstract class AwsSdkVersionTests
{
    private readonly GatewayFixture _fx;

    protected AwsSdkVersionTests(GatewayFixture fx) => _fx = fx;

    /// <summary>A client with the credentials this fixture's pachd accepts.</summary>
    protected abstract AmazonS3Client Client();

    private static string Md5ETag(byte[] content) => "\"" + Convert.ToHexStringLower(MD5.HashData(content)) + "\"";

    /// <summary>A bucket whose keys have each been written, deleted and written again; returns the versions, newest first per key.</summary>
    private async Task<(string Bucket, List<(string Key, string VersionId, byte[]? Content)> Versions)> HistoryAsync(AmazonS3Client s3, int keys)
    {
        var repo = GatewayFixture.NewName("ver");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = repo });
        var bucket = "master." + repo;
        var versions = new List<(string Key, string VersionId, byte[]? Content)>();
        for (var i = 0; i < keys; i++)
        {
            var key = $"d{i % 3}/key é+{i} (v)";
            var written = new List<(string, string, byte[]?)>();
            foreach (var step in new[] { "one", "two", null, "three" })
            {
                if (step is null)
                {
                    var deleted = await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key });
                    Assert.Equal("true", deleted.DeleteMarker);
                    written.Add((key, deleted.VersionId, null));
                    continue;
                }

                var content = Encoding.UTF8.GetBytes($"{key} {step}");
                var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content) });
                written.Add((key, put.VersionId, content));
            }

            written.Reverse();
            versions.AddRange(written);
        }

        var ordered = versions.GroupBy(v => v.Key).OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g => g).ToList();
        return (bucket, ordered);
    }

    [Fact]
    public async Task ListVersions_Paginator_EveryVersionOnceNewestFirst()
    {
        using var s3 = Client();
        var (bucket, expected) = await HistoryAsync(s3, 12);

        var listed = new List<(string Key, string VersionId, bool IsLatest, bool IsDeleteMarker, string? ETag)>();
        var pages = 0;
        await foreach (var page in s3.Paginators.ListVersions(new ListVersionsRequest { BucketName = bucket, MaxKeys = 7 }).Responses)
        {
            pages++;
            listed.AddRange((page.Versions ?? []).Select(v => (v.Key, v.VersionId, v.IsLatest == true, v.IsDeleteMarker == true, v.IsDeleteMarker == true ? null : v.ETag)));
        }

        Assert.Equal((expected.Count + 6) / 7, pages);
        Assert.Equal(
            expected.Select((v, i) => (v.Key, v.VersionId, i == 0 || expected[i - 1].Key != v.Key, v.Content is null, v.Content is null ? null : Md5ETag(v.Content))),
            listed);
        var commits = await _fx.Pach.ListCommitsAsync(RepoRef.InDefault(bucket["master.".Length..]), new BranchRef(RepoRef.InDefault(bucket["master.".Length..]), "master").Head)
            .Select(c => c.Commit.Id).ToListAsync();
        Assert.All(listed, v => Assert.Contains(v.VersionId, commits));
    }

    [Fact]
    public async Task GetObject_EveryVersion_ItsBytesAndETag()
    {
        using var s3 = Client();
        var (bucket, versions) = await HistoryAsync(s3, 2);

        foreach (var (key, versionId, content) in versions.Where(v => v.Content is not null))
        {
            using var got = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId });
            using var bytes = new MemoryStream();
            await got.ResponseStream.CopyToAsync(bytes);

            Assert.Equal(content, bytes.ToArray());
            Assert.Equal(versionId, got.VersionId);
            Assert.Equal(Md5ETag(content!), got.ETag);
        }
    }

    [Fact]
    public async Task GetObject_DeleteMarkerVersion_405()
    {
        using var s3 = Client();
        var (bucket, versions) = await HistoryAsync(s3, 1);
        var marker = versions.Single(v => v.Content is null);

        var e = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = marker.Key, VersionId = marker.VersionId }));

        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, e.StatusCode);
    }

    [Fact]
    public async Task CopyObject_OldVersion_CopiesItsBytes()
    {
        using var s3 = Client();
        var (bucket, versions) = await HistoryAsync(s3, 1);
        var oldest = versions[^1];

        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = oldest.Key, SourceVersionId = oldest.VersionId, DestinationBucket = bucket, DestinationKey = "copy" });
        using var got = await s3.GetObjectAsync(bucket, "copy");
        using var bytes = new MemoryStream();
        await got.ResponseStream.CopyToAsync(bytes);

        Assert.Equal(oldest.Content, bytes.ToArray());
    }

    [Fact]
    public async Task DeleteObjects_EveryVersion_BucketEmptyAndDeletable()
    {
        using var s3 = Client();
        var (bucket, versions) = await HistoryAsync(s3, 4);

        var deleted = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = [.. versions.Select(v => new KeyVersion { Key = v.Key, VersionId = v.VersionId })],
        });

        Assert.Equal(versions.Count, deleted.DeletedObjects.Count);
        Assert.True(deleted.DeleteErrors is null || deleted.DeleteErrors.Count == 0);
        var after = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket });
        Assert.True(after.Versions is null || after.Versions.Count == 0);
        await s3.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task DeleteObject_NewestVersion_PreviousIsCurrentAgain()
    {
        using var s3 = Client();
        var (bucket, versions) = await HistoryAsync(s3, 1);

        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = versions[0].Key, VersionId = versions[0].VersionId });
        var head = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, versions[0].Key));
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = versions[1].Key, VersionId = versions[1].VersionId });
        var restored = await s3.GetObjectMetadataAsync(bucket, versions[2].Key);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(versions[2].VersionId, restored.VersionId);
        Assert.Equal(Md5ETag(versions[2].Content!), restored.ETag);
    }

    [Fact]
    public async Task Versioning_EnabledAndCannotBeSuspended()
    {
        using var s3 = Client();
        var repo = GatewayFixture.NewName("vcfg");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = repo });

        var status = await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = repo });
        var e = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = repo,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended },
        }));

        Assert.Equal(VersionStatus.Enabled, status.VersioningConfig.Status);
        Assert.Equal("InvalidBucketState", e.ErrorCode);
    }
}

[Collection(AuthOffCollection.Name)]
[Trait("Host", "Any")]
public sealed class AwsSdkVersionTestsAuthOff(AuthOffFixture fx) : AwsSdkVersionTests(fx)
{
    protected override AmazonS3Client Client() => fx.Aws();
}

[Collection(AuthOnCollection.Name)]
[Trait("Host", "Any")]
public sealed class AwsSdkVersionTestsAuthOn(AuthOnFixture fx) : AwsSdkVersionTests(fx)
{
    protected override AmazonS3Client Client() => fx.Aws(fx.RootToken);
}
