using System.Security.Cryptography;
using Amazon.S3.Model;
using static Gateway.Integration.Tests.Multipart.MultipartHelpers;

namespace Gateway.Integration.Tests.Multipart;

/// <summary>Upload state lives in pachd: any instance serves any request of an upload.</summary>
public sealed class TwoGatewaysTests(TwoGatewaysFixture fx) : IClassFixture<TwoGatewaysFixture>
{
    [Fact]
    public async Task OneUpload_RequestsSpreadOverTwoHosts_Completes()
    {
        using var a = fx.Aws();
        using var b = fx.SecondAws();
        var bucket = await NewBucketAsync(a);
        var data = RandomNumberGenerator.GetBytes((10 * MiB) + 3);
        var uploadId = await StartAsync(a, bucket, "shared/obj.bin");

        var p1 = await PutPartAsync(b, bucket, "shared/obj.bin", uploadId, 1, data, 0, 5 * MiB);
        var p2 = await PutPartAsync(a, bucket, "shared/obj.bin", uploadId, 2, data, 5 * MiB, 5 * MiB);
        var p3 = await PutPartAsync(b, bucket, "shared/obj.bin", uploadId, 3, data, 10 * MiB, 3);

        var fromA = await a.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "shared/obj.bin", UploadId = uploadId });
        var fromB = await b.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "shared/obj.bin", UploadId = uploadId });
        Assert.Equal(fromA.Parts.Select(p => p.ETag), fromB.Parts.Select(p => p.ETag));
        Assert.Contains((await b.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket })).MultipartUploads, u => u.UploadId == uploadId);

        var done = await b.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "shared/obj.bin",
            UploadId = uploadId,
            PartETags = [p1, p2, p3],
        });
        Assert.Equal(data, await GetAsync(a, bucket, "shared/obj.bin"));
        Assert.Equal(done.ETag, (await a.GetObjectMetadataAsync(bucket, "shared/obj.bin")).ETag);
        await GatewayBranchFiles.AssertOnlyReceiptLeftAsync(fx.Pach, bucket, uploadId);
    }
}
