using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;

namespace Gateway.Integration.Tests.Multipart;

internal static class MultipartHelpers
{
    public const int MiB = 1024 * 1024;

    public static async Task<string> NewBucketAsync(AmazonS3Client s3, string stem = "mp")
    {
        var repo = GatewayFixture.NewName(stem);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = repo });
        return "master." + repo;
    }

    public static async Task<string> StartAsync(AmazonS3Client s3, string bucket, string key) =>
        (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key })).UploadId;

    public static async Task<PartETag> PutPartAsync(AmazonS3Client s3, string bucket, string key, string uploadId, int number, byte[] data, int offset, int count)
    {
        var r = await s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = number,
            InputStream = new MemoryStream(data, offset, count, writable: false),
        });
        return new PartETag(number, r.ETag);
    }

    public static async Task<byte[]> GetAsync(AmazonS3Client s3, string bucket, string key)
    {
        using var get = await s3.GetObjectAsync(bucket, key);
        using var ms = new MemoryStream();
        await get.ResponseStream.CopyToAsync(ms);
        return ms.ToArray();
    }

    public static async Task<byte[]> Sha256OfObjectAsync(AmazonS3Client s3, string bucket, string key)
    {
        using var get = await s3.GetObjectAsync(bucket, key);
        return await SHA256.HashDataAsync(get.ResponseStream);
    }
}
