using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Gateway.Integration.Tests.Functions;

/// <summary>S3 through the Functions host emulator: what a client of the gateway deployed as a function app sees.</summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class FunctionsHostS3Tests(FunctionsHostAuthOffFixture fx, FunctionsHostAuthOnFixture secured)
{
    public static TheoryData<string> Keys() =>
    [
        "plain.txt",
        "dir/sub/file.bin",
        "with space and  two",
        "plus+sign+",
        "percent%25literal",
        "lone%percent",
        "literal%2Fslash",
        "ünïcödé/日本語/ключ",
        "symbols!$&'()*,;=@:",
    ];

    [Fact]
    public async Task Bucket_CreateHeadListDelete()
    {
        using var s3 = fx.Aws();
        var bucket = GatewayNames.Bucket("fhb");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        Assert.Equal(HttpStatusCode.OK, (await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket })).HttpStatusCode);
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []);
        await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket });
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }));
        Assert.Equal("NoSuchBucket", gone.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Object_PutGetHeadListDelete(string key)
    {
        using var s3 = fx.Aws();
        var bucket = GatewayNames.Bucket("fho");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var body = "content of " + key;

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body });

        using (var get = await s3.GetObjectAsync(bucket, key))
        using (var reader = new StreamReader(get.ResponseStream))
        {
            Assert.Equal(body, await reader.ReadToEndAsync());
        }

        var head = await s3.GetObjectMetadataAsync(bucket, key);
        Assert.Equal(Encoding.UTF8.GetByteCount(body), head.ContentLength);

        var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal([key], list.S3Objects.Select(o => o.Key).ToArray());

        await s3.DeleteObjectAsync(bucket, key);
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []);
    }

    [Fact]
    public async Task ListObjects_PrefixAndDelimiter()
    {
        using var s3 = fx.Aws();
        var bucket = GatewayNames.Bucket("fhl");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        foreach (var key in new[] { "a/1", "a/2", "b/1", "top" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key });
        }

        var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/" });
        Assert.Equal(["a/", "b/"], list.CommonPrefixes.Order().ToArray());
        Assert.Equal(["top"], list.S3Objects.Select(o => o.Key).ToArray());

        var prefixed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "a/" });
        Assert.Equal(["a/1", "a/2"], prefixed.S3Objects.Select(o => o.Key).Order().ToArray());
    }

    [Fact]
    public async Task DeleteObjects_PostToBucket()
    {
        using var s3 = fx.Aws();
        var bucket = GatewayNames.Bucket("fhd");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "x", ContentBody = "x" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "y/z", ContentBody = "y" });

        var deleted = await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [new KeyVersion { Key = "x" }, new KeyVersion { Key = "y/z" }] });
        Assert.Equal(2, deleted.DeletedObjects.Count);
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []);
    }

    [Fact]
    public async Task MultipartUpload_ThreeParts_ReadBackWhole()
    {
        using var s3 = fx.Aws();
        var bucket = GatewayNames.Bucket("fhm");
        const string key = "multi/part object";
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var parts = new[] { RandomNumberGenerator.GetBytes(5 * 1024 * 1024), RandomNumberGenerator.GetBytes(5 * 1024 * 1024), RandomNumberGenerator.GetBytes(123_457) };

        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key });
        List<PartETag> etags = [];
        for (var i = 0; i < parts.Length; i++)
        {
            using var part = new MemoryStream(parts[i]);
            var response = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartNumber = i + 1, InputStream = part });
            etags.Add(new PartETag(i + 1, response.ETag));
        }

        var listed = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId });
        Assert.Equal([1, 2, 3], listed.Parts.Select(p => p.PartNumber ?? 0).ToArray());

        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = etags });

        using var get = await s3.GetObjectAsync(bucket, key);
        using var all = new MemoryStream();
        await get.ResponseStream.CopyToAsync(all);
        Assert.Equal(parts.SelectMany(p => p).ToArray(), all.ToArray());
        Assert.EndsWith("-3\"", get.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MultipartUpload_Abort()
    {
        using var s3 = fx.Aws();
        var bucket = GatewayNames.Bucket("fha");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "k" });
        await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = "k", UploadId = upload.UploadId });
        var none = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });
        Assert.Empty(none.MultipartUploads ?? []);
    }

    [Fact]
    public async Task RangeGet_PartialContent()
    {
        using var s3 = fx.Aws();
        var bucket = GatewayNames.Bucket("fhr");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "r", ContentBody = "0123456789" });
        using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", ByteRange = new ByteRange(2, 5) });
        using var reader = new StreamReader(get.ResponseStream);
        Assert.Equal(HttpStatusCode.PartialContent, get.HttpStatusCode);
        Assert.Equal("2345", await reader.ReadToEndAsync());
    }

    /// <summary>
    /// A client that sends the slash of key <c>a/b</c> as <c>%2F</c>: the host forwards it as <c>%252F</c>, exactly as it
    /// forwards the literal key <c>a%2Fb</c>; the signature (computed for a slash) tells the gateway which key it is.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EncodedSlashInPath_SignedForASlash_IsTheKeyWithTheSlash(bool authOn)
    {
        var host = authOn ? (FunctionsHostFixture)secured : fx;
        using var s3 = authOn ? secured.Aws(secured.RootToken) : fx.Aws();
        var bucket = GatewayNames.Bucket("fhslash");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "dir%2Fliteral", ContentBody = "literal" });

        // Presigned for key "dir/file" (canonical URI /bucket/dir/file), sent with the slash encoded.
        var url = s3.GetPreSignedURL(new GetPreSignedUrlRequest { BucketName = bucket, Key = "dir/file", Verb = HttpVerb.PUT, Expires = DateTime.UtcNow.AddMinutes(10), Protocol = Protocol.HTTP });
        var encoded = url.Replace("/dir/file?", "/dir%2Ffile?", StringComparison.Ordinal);
        Assert.NotEqual(url, encoded);
        using var http = new HttpClient();
        using (var put = await http.PutAsync(new Uri(encoded), new StringContent("through %2F")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["dir%2Fliteral", "dir/file"], keys);
        using var get = await s3.GetObjectAsync(bucket, "dir/file");
        using var reader = new StreamReader(get.ResponseStream);
        Assert.Equal("through %2F", await reader.ReadToEndAsync());
        Assert.NotNull(host.BaseUri);
    }

    [Fact]
    public async Task ListBuckets_AtTheRoot_NotTheHostsHomepage()
    {
        using var s3 = fx.Aws();
        var bucket = GatewayNames.Bucket("fhroot");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });

        var buckets = await s3.ListBucketsAsync();

        Assert.Contains("master." + bucket, buckets.Buckets.Select(b => b.BucketName));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task AuthOn_SignedRequestsVerify(string key)
    {
        using var s3 = secured.Aws(secured.RootToken);
        var bucket = GatewayNames.Bucket("fhs");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "signed" });
        using var get = await s3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(get.ResponseStream);
        Assert.Equal("signed", await reader.ReadToEndAsync());

        using var stranger = secured.Aws("not-a-token");
        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => stranger.GetObjectAsync(bucket, key));
        Assert.Equal("InvalidAccessKeyId", denied.ErrorCode);
    }
}

/// <summary>Bucket names for these tests.</summary>
internal static class GatewayNames
{
    public static string Bucket(string stem) => $"{stem}-{Guid.NewGuid().ToString("N")[..10]}";
}
