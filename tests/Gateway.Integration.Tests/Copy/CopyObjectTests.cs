using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;
using static Gateway.Integration.Tests.Multipart.MultipartHelpers;

namespace Gateway.Integration.Tests.Copy;

[Collection(AuthOffCollection.Name)]
[Trait("Host", "Any")]
public sealed class CopyObjectTests(AuthOffFixture fx)
{
    [Fact]
    public async Task CopyObject_AcrossBuckets_DestinationETagAndVersions()
    {
        using var s3 = fx.Aws();
        var source = await NewBucketAsync(s3, "src");
        var destination = await NewBucketAsync(s3, "dst");
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "dir/a b.txt", ContentBody = "copied content" });

        var copy = await s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = source,
            SourceKey = "dir/a b.txt",
            DestinationBucket = destination,
            DestinationKey = "other/y.txt",
        });
        var head = await s3.GetObjectMetadataAsync(destination, "other/y.txt");
        Assert.Equal(head.ETag, copy.ETag);
        Assert.Equal(head.VersionId, copy.VersionId);
        Assert.Equal(put.VersionId, copy.SourceVersionId);
        Assert.NotEqual(put.VersionId, copy.VersionId);
        Assert.Equal("copied content", Encoding.UTF8.GetString(await GetAsync(s3, destination, "other/y.txt")));
        Assert.Equal("copied content", Encoding.UTF8.GetString(await GetAsync(s3, source, "dir/a b.txt")));
    }

    [Fact]
    public async Task CopyObject_FromOlderVersion_CopiesThatVersion()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3, "ver");
        var v1 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "version one" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "version two" });

        var copy = await s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "k",
            SourceVersionId = v1.VersionId,
            DestinationBucket = bucket,
            DestinationKey = "restored",
        });
        Assert.Equal(v1.VersionId, copy.SourceVersionId);
        Assert.Equal("version one", Encoding.UTF8.GetString(await GetAsync(s3, bucket, "restored")));

        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "k",
            SourceVersionId = "0123456789ab4def0123456789abcdef",
            DestinationBucket = bucket,
            DestinationKey = "never",
        }));
        Assert.Equal("NoSuchVersion", missing.ErrorCode);
    }

    [Fact]
    public async Task CopyObject_OntoItself_InvalidRequestUnlessReplace()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3, "self");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "same" });
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "k",
            DestinationBucket = bucket,
            DestinationKey = "k",
        }));
        Assert.Equal("InvalidRequest", e.ErrorCode);

        var replaced = await s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "k",
            DestinationBucket = bucket,
            DestinationKey = "k",
            MetadataDirective = S3MetadataDirective.REPLACE,
        });
        Assert.Equal((await s3.GetObjectMetadataAsync(bucket, "k")).ETag, replaced.ETag);
        Assert.Equal("same", Encoding.UTF8.GetString(await GetAsync(s3, bucket, "k")));
    }

    [Fact]
    public async Task CopyObject_SourceConditions_PreconditionFailed()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3, "cond");
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x" });
        async Task<HttpStatusCode> StatusOf(CopyObjectRequest r)
        {
            r.SourceBucket = bucket;
            r.SourceKey = "k";
            r.DestinationBucket = bucket;
            r.DestinationKey = "copy";
            try
            {
                await s3.CopyObjectAsync(r);
                return HttpStatusCode.OK;
            }
            catch (AmazonS3Exception e)
            {
                Assert.Equal("PreconditionFailed", e.ErrorCode);
                return e.StatusCode;
            }
        }

        Assert.Equal(HttpStatusCode.OK, await StatusOf(new CopyObjectRequest { ETagToMatch = put.ETag }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(new CopyObjectRequest { ETagToMatch = "\"nope\"" }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(new CopyObjectRequest { ETagToNotMatch = put.ETag }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(new CopyObjectRequest { ModifiedSinceDate = DateTime.UtcNow.AddHours(1) }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(new CopyObjectRequest { UnmodifiedSinceDate = DateTime.UtcNow.AddHours(-1) }));
        Assert.Equal(HttpStatusCode.OK, await StatusOf(new CopyObjectRequest { UnmodifiedSinceDate = DateTime.UtcNow.AddHours(1) }));
    }

    [Fact]
    public async Task CopyObject_MissingSource_NoSuchKeyOrNoSuchBucket()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3, "miss");
        var noKey = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "absent",
            DestinationBucket = bucket,
            DestinationKey = "d",
        }));
        Assert.Equal("NoSuchKey", noKey.ErrorCode);
        var noBucket = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = "master." + GatewayFixture.NewName("none"),
            SourceKey = "absent",
            DestinationBucket = bucket,
            DestinationKey = "d",
        }));
        Assert.Equal("NoSuchBucket", noBucket.ErrorCode);
    }

    [Fact]
    public async Task CopyObject_OneCommitOnDestination()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3, "one");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a", ContentBody = "1" });
        var repo = Gateway.Pachyderm.RepoRef.InDefault(bucket["master.".Length..]);
        var before = await CountAsync(repo);
        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "a", DestinationBucket = bucket, DestinationKey = "b" });
        Assert.Equal(before + 1, await CountAsync(repo));
    }

    [Fact]
    public async Task CopyObject_EncodedSlashInCopySourceHeader_Decoded()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3, "enc");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "dir/file", ContentBody = "enc" });
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/{bucket}/copied");
        request.Headers.TryAddWithoutValidation("x-amz-copy-source", Uri.EscapeDataString($"{bucket}/dir/file"));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<CopyObjectResult", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("enc", Encoding.UTF8.GetString(await GetAsync(s3, bucket, "copied")));
    }

    [Fact]
    public async Task ObjectTagging_PutGetDelete_RoundTripAndCopiedWithTheObject()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3, "tag");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "t", ContentBody = "x" });
        Assert.Empty((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t" })).Tagging ?? []);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "absent" }));
        Assert.Equal("NoSuchKey", missing.ErrorCode);

        await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = bucket,
            Key = "t",
            Tagging = new Tagging { TagSet = [new Tag { Key = "project", Value = "pachyderm" }, new Tag { Key = "stage", Value = "raw data" }] },
        });
        var tags = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t" });
        Assert.Equal([("project", "pachyderm"), ("stage", "raw data")], tags.Tagging.Select(t => (t.Key, t.Value)));
        Assert.Equal(2, (await s3.GetObjectAsync(bucket, "t")).TagCount);

        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "t", DestinationBucket = bucket, DestinationKey = "copy" });
        Assert.Equal(2, (await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "copy" })).Tagging.Count);

        await s3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = bucket, Key = "t" });
        Assert.Empty((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t" })).Tagging ?? []);
    }

    private async Task<int> CountAsync(Gateway.Pachyderm.RepoRef repo)
    {
        var n = 0;
        await foreach (var unused in fx.Pach.ListCommitsAsync(repo, new Gateway.Pachyderm.BranchRef(repo, "master").Head))
        {
            n++;
        }

        return n;
    }
}
