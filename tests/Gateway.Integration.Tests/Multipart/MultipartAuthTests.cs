using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;
using static Gateway.Integration.Tests.Multipart.MultipartHelpers;

namespace Gateway.Integration.Tests.Multipart;

/// <summary>Multipart and copy with pachd auth active: the caller's token reaches every pachd call.</summary>
[Collection(AuthOnCollection.Name)]
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
        Assert.Empty(await UploadsRepo.FilesOfAsync(fx.Pach, uploadId));
    }

    [Fact]
    public async Task Multipart_UserWithoutAccessToUploadsRepo_AccessDeniedSayingWhy()
    {
        // Root uses multipart first, so root owns the uploads repo.
        using var root = fx.Aws(fx.RootToken);
        var rootBucket = await NewBucketAsync(root, "auth");
        await StartAsync(root, rootBucket, "k");

        var robot = await fx.Pach.GetRobotTokenAsync("mp-robot-" + Guid.NewGuid().ToString("N")[..6]);
        using var s3 = fx.Aws(robot);
        var bucket = await NewBucketAsync(s3, "robo");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => StartAsync(s3, bucket, "k"));
        Assert.Equal("AccessDenied", e.ErrorCode);
        Assert.Contains(UploadsRepo.Name, e.Message, StringComparison.Ordinal);
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
