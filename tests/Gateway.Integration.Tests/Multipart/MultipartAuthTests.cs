using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;
using static Gateway.Integration.Tests.Multipart.MultipartHelpers;

namespace Gateway.Integration.Tests.Multipart;

/// <summary>Multipart and copy with pachd auth active: the caller's token reaches every pachd call.</summary>
[Collection(AuthOnCollection.Name)]
[Trait("Host", "Any")]
public sealed class MultipartAuthTests(AuthOnFixture fx)
{
    [Fact]
    public async Task Multipart_WithRootToken_CompletesAndCopies()
    {
        using var s3 = fx.Aws(fx.RootToken);
        var bucket = await NewBucketAsync(s3, "auth");
        var data = RandomNumberGenerator.GetBytes((5 * MiB) + 10);
        var uploadId = await StartAsync(s3, bucket, "secure/obj.bin");
        var p1 = await PutPartAsync(s3, bucket, "secure/obj.bin", uploadId, 1, data, 0, 5 * MiB);
        var p2 = await PutPartAsync(s3, bucket, "secure/obj.bin", uploadId, 2, data, 5 * MiB, 10);
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "secure/obj.bin", UploadId = uploadId, PartETags = [p1, p2] });
        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "secure/obj.bin", DestinationBucket = bucket, DestinationKey = "copy.bin" });
        Assert.Equal(data, await GetAsync(s3, bucket, "copy.bin"));
        await GatewayBranchFiles.AssertOnlyReceiptLeftAsync(fx.Pach, bucket, uploadId);
    }

    [Fact]
    public async Task Multipart_TwoUsers_EachInTheirOwnBucketAndBlindToTheOthers()
    {
        var alice = await fx.Pach.GetRobotTokenAsync("mp-alice-" + Guid.NewGuid().ToString("N")[..6]);
        var bob = await fx.Pach.GetRobotTokenAsync("mp-bob-" + Guid.NewGuid().ToString("N")[..6]);
        using var a = fx.Aws(alice);
        using var b = fx.Aws(bob);
        var aliceBucket = await NewBucketAsync(a, "alice");
        var bobBucket = await NewBucketAsync(b, "bob");

        // Each completes a multipart upload in their own bucket.
        var data = RandomNumberGenerator.GetBytes((5 * MiB) + 3);
        foreach (var (s3, bucket) in new[] { (a, aliceBucket), (b, bobBucket) })
        {
            var id = await StartAsync(s3, bucket, "mine.bin");
            var p1 = await PutPartAsync(s3, bucket, "mine.bin", id, 1, data, 0, 5 * MiB);
            var p2 = await PutPartAsync(s3, bucket, "mine.bin", id, 2, data, 5 * MiB, 3);
            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mine.bin", UploadId = id, PartETags = [p1, p2] });
            Assert.Equal(data, await GetAsync(s3, bucket, "mine.bin"));
        }

        // Alice's upload in progress: Bob can neither see nor touch it, nor read her objects.
        var pending = await StartAsync(a, aliceBucket, "secret/plan.bin");
        await PutPartAsync(a, aliceBucket, "secret/plan.bin", pending, 1, data, 0, 100);
        await AssertDeniedAsync(() => b.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = aliceBucket }));
        await AssertDeniedAsync(() => b.ListPartsAsync(new ListPartsRequest { BucketName = aliceBucket, Key = "secret/plan.bin", UploadId = pending }));
        await AssertDeniedAsync(() => PutPartAsync(b, aliceBucket, "secret/plan.bin", pending, 2, data, 0, 100));
        await AssertDeniedAsync(() => b.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = aliceBucket, Key = "secret/plan.bin", UploadId = pending }));
        await AssertDeniedAsync(() => StartAsync(b, aliceBucket, "intrusion"));
        await AssertDeniedAsync(() => GetAsync(b, aliceBucket, "mine.bin"));
        await AssertDeniedAsync(() => b.ListObjectsV2Async(new ListObjectsV2Request { BucketName = aliceBucket }));

        // Alice's upload is intact.
        var parts = await a.ListPartsAsync(new ListPartsRequest { BucketName = aliceBucket, Key = "secret/plan.bin", UploadId = pending });
        Assert.Single(parts.Parts);
    }

    private static async Task AssertDeniedAsync(Func<Task> call)
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(call);
        Assert.Equal("AccessDenied", e.ErrorCode);
    }

    [Fact]
    public async Task Multipart_BadToken_Refused()
    {
        using var root = fx.Aws(fx.RootToken);
        var bucket = await NewBucketAsync(root, "auth");
        using var s3 = fx.Aws("not-a-token");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => StartAsync(s3, bucket, "k"));
        Assert.Equal("InvalidAccessKeyId", e.ErrorCode);
    }
}
