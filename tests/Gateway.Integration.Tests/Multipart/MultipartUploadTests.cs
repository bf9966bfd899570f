using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;
using static Gateway.Integration.Tests.Multipart.MultipartHelpers;

namespace Gateway.Integration.Tests.Multipart;

[Collection(AuthOffCollection.Name)]
[Trait("Host", "Any")]
public sealed class MultipartUploadTests(AuthOffFixture fx)
{
    [Fact]
    public async Task Complete_TwoParts_ObjectAssembledAndUploadGone()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        const string key = "dir/sub/assembled.bin";
        var data = RandomNumberGenerator.GetBytes((5 * MiB) + 12345);
        var uploadId = await StartAsync(s3, bucket, key);
        Assert.Matches("^[0-9a-f]{32}$", uploadId);

        var p1 = await PutPartAsync(s3, bucket, key, uploadId, 1, data, 0, 5 * MiB);
        var p2 = await PutPartAsync(s3, bucket, key, uploadId, 2, data, 5 * MiB, 12345);
        Assert.NotEmpty(await GatewayBranchFiles.FilesOfAsync(fx.Pach, bucket, uploadId));

        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = uploadId,
            PartETags = [p1, p2],
        });
        Assert.Equal(key, done.Key);
        Assert.False(string.IsNullOrEmpty(done.VersionId));

        Assert.Equal(data, await GetAsync(s3, bucket, key));
        var head = await s3.GetObjectMetadataAsync(bucket, key);
        Assert.Equal(done.ETag, head.ETag);
        Assert.Equal(data.Length, head.ContentLength);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(done.ETag, Assert.Single(listed.S3Objects).ETag);

        await GatewayBranchFiles.AssertOnlyReceiptLeftAsync(fx.Pach, bucket, uploadId);
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = key, UploadId = uploadId }));
        Assert.Equal("NoSuchUpload", gone.ErrorCode);
    }

    [Fact]
    public async Task Checksums_SdkDefaultCrc32_KeptPerPartAndCompositeOnComplete()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var data = RandomNumberGenerator.GetBytes((5 * MiB) + 100);
        var uploadId = (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "sum.bin",
            ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
        })).UploadId;
        var r1 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "sum.bin", UploadId = uploadId, PartNumber = 1, InputStream = new MemoryStream(data, 0, 5 * MiB), ChecksumAlgorithm = ChecksumAlgorithm.CRC32 });
        var r2 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "sum.bin", UploadId = uploadId, PartNumber = 2, InputStream = new MemoryStream(data, 5 * MiB, 100), ChecksumAlgorithm = ChecksumAlgorithm.CRC32 });
        Assert.False(string.IsNullOrEmpty(r1.ChecksumCRC32));

        var parts = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "sum.bin", UploadId = uploadId });
        Assert.Equal([r1.ChecksumCRC32, r2.ChecksumCRC32], parts.Parts.Select(p => p.ChecksumCRC32));

        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "sum.bin",
            UploadId = uploadId,
            PartETags = [new PartETag { PartNumber = 1, ETag = r1.ETag, ChecksumCRC32 = r1.ChecksumCRC32 }, new PartETag { PartNumber = 2, ETag = r2.ETag, ChecksumCRC32 = r2.ChecksumCRC32 }],
        });
        Assert.EndsWith("-2", done.ChecksumCRC32, StringComparison.Ordinal);
        Assert.Equal(data, await GetAsync(s3, bucket, "sum.bin"));
    }

    [Fact]
    public async Task Complete_ReplacesExistingObject_InOneCommit()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "old content that is longer than the new one" });
        var repo = bucket["master.".Length..];
        var before = await CountCommitsAsync(repo);

        var uploadId = await StartAsync(s3, bucket, "k");
        var p1 = await PutPartAsync(s3, bucket, "k", uploadId, 1, Encoding.ASCII.GetBytes("new"), 0, 3);
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "k", UploadId = uploadId, PartETags = [p1] });

        Assert.Equal("new", Encoding.ASCII.GetString(await GetAsync(s3, bucket, "k")));
        Assert.Equal(before + 1, await CountCommitsAsync(repo));
    }

    [Fact]
    public async Task Abort_RemovesEveryTrace_ThenNoSuchUpload()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var uploadId = await StartAsync(s3, bucket, "a/b/c.bin");
        await PutPartAsync(s3, bucket, "a/b/c.bin", uploadId, 3, new byte[100], 0, 100);
        var files = await GatewayBranchFiles.FilesOfAsync(fx.Pach, bucket, uploadId);
        Assert.Contains(files, f => f.Contains("/manifest-", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Contains("/parts/00003/", StringComparison.Ordinal));

        await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = "a/b/c.bin", UploadId = uploadId });
        Assert.Empty(await GatewayBranchFiles.FilesOfAsync(fx.Pach, bucket, uploadId));

        var again = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = "a/b/c.bin", UploadId = uploadId }));
        Assert.Equal("NoSuchUpload", again.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var part = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => PutPartAsync(s3, bucket, "a/b/c.bin", uploadId, 1, new byte[10], 0, 10));
        Assert.Equal("NoSuchUpload", part.ErrorCode);
        Assert.Empty(await GatewayBranchFiles.FilesOfAsync(fx.Pach, bucket, uploadId));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("not-an-id")]
    public async Task UploadPart_UnknownUpload_NoSuchUpload(string uploadId)
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => PutPartAsync(s3, bucket, "k", uploadId, 1, new byte[10], 0, 10));
        Assert.Equal("NoSuchUpload", e.ErrorCode);
    }

    [Fact]
    public async Task UploadPart_OtherKeyOfSameUpload_NoSuchUpload()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var uploadId = await StartAsync(s3, bucket, "right");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => PutPartAsync(s3, bucket, "wrong", uploadId, 1, new byte[10], 0, 10));
        Assert.Equal("NoSuchUpload", e.ErrorCode);
    }

    [Fact]
    public async Task Create_MissingBucket_NoSuchBucket()
    {
        using var s3 = fx.Aws();
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => StartAsync(s3, "master." + GatewayFixture.NewName("none"), "k"));
        Assert.Equal("NoSuchBucket", e.ErrorCode);
    }

    [Fact]
    public async Task Complete_WrongETag_InvalidPart()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var uploadId = await StartAsync(s3, bucket, "k");
        await PutPartAsync(s3, bucket, "k", uploadId, 1, new byte[10], 0, 10);
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "k",
            UploadId = uploadId,
            PartETags = [new PartETag(1, "\"00000000000000000000000000000000-1\"")],
        }));
        Assert.Equal("InvalidPart", e.ErrorCode);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "k",
            UploadId = uploadId,
            PartETags = [new PartETag(2, "\"00000000000000000000000000000000-1\"")],
        }));
        Assert.Equal("InvalidPart", missing.ErrorCode);

        // The failed completes changed nothing: the upload is still there.
        Assert.Single((await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "k", UploadId = uploadId })).Parts);
    }

    [Fact]
    public async Task Complete_SmallNonLastPart_EntityTooSmall()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var uploadId = await StartAsync(s3, bucket, "k");
        var p1 = await PutPartAsync(s3, bucket, "k", uploadId, 1, new byte[10], 0, 10);
        var p2 = await PutPartAsync(s3, bucket, "k", uploadId, 2, new byte[10], 0, 10);
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "k",
            UploadId = uploadId,
            PartETags = [p1, p2],
        }));
        Assert.Equal("EntityTooSmall", e.ErrorCode);
    }

    [Fact]
    public async Task Complete_PartsOutOfOrder_InvalidPartOrder()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var uploadId = await StartAsync(s3, bucket, "k");
        var p1 = await PutPartAsync(s3, bucket, "k", uploadId, 1, new byte[10], 0, 10);
        var p2 = await PutPartAsync(s3, bucket, "k", uploadId, 2, new byte[10], 0, 10);

        // The SDK sorts parts itself, so send the document by hand.
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        var xml = $"<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>{p2.ETag}</ETag></Part><Part><PartNumber>1</PartNumber><ETag>{p1.ETag}</ETag></Part></CompleteMultipartUpload>";
        using var response = await http.PostAsync($"/{bucket}/k?uploadId={uploadId}", new StringContent(xml, Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>InvalidPartOrder</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_UnquotedETags_Accepted()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var uploadId = await StartAsync(s3, bucket, "k");
        var p1 = await PutPartAsync(s3, bucket, "k", uploadId, 1, Encoding.ASCII.GetBytes("hello"), 0, 5);
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        var xml = $"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{p1.ETag.Trim('"')}</ETag></Part></CompleteMultipartUpload>";
        using var response = await http.PostAsync($"/{bucket}/k?uploadId={uploadId}", new StringContent(xml, Encoding.UTF8, "application/xml"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<CompleteMultipartUploadResult", body, StringComparison.Ordinal);
        Assert.Equal("hello", Encoding.ASCII.GetString(await GetAsync(s3, bucket, "k")));
    }

    [Fact]
    public async Task ListParts_NumericOrderAndPaging()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var uploadId = await StartAsync(s3, bucket, "k");
        var started = DateTime.UtcNow.AddMinutes(-1);
        foreach (var n in new[] { 10, 2, 1 })
        {
            await PutPartAsync(s3, bucket, "k", uploadId, n, new byte[n], 0, n);
        }

        // Re-uploading a part replaces it.
        await PutPartAsync(s3, bucket, "k", uploadId, 2, new byte[7], 0, 7);

        var all = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "k", UploadId = uploadId });
        Assert.Equal([1, 2, 10], all.Parts.Select(p => p.PartNumber!.Value));
        Assert.Equal([1L, 7L, 10L], all.Parts.Select(p => p.Size!.Value));
        Assert.All(all.Parts, p => Assert.InRange(p.LastModified!.Value.ToUniversalTime(), started, DateTime.UtcNow.AddMinutes(1)));
        Assert.Equal(new[] { 1, 7, 10 }.Select(n => "\"" + Convert.ToHexStringLower(MD5.HashData(new byte[n])) + "\""), all.Parts.Select(p => p.ETag));
        Assert.False(all.IsTruncated);

        var first = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "k", UploadId = uploadId, MaxParts = 2 });
        Assert.True(first.IsTruncated);
        Assert.Equal([1, 2], first.Parts.Select(p => p.PartNumber!.Value));
        Assert.Equal(2, first.NextPartNumberMarker);
        var second = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "k", UploadId = uploadId, MaxParts = 2, PartNumberMarker = "2" });
        Assert.False(second.IsTruncated);
        Assert.Equal([10], second.Parts.Select(p => p.PartNumber!.Value));
    }

    [Fact]
    public async Task ListMultipartUploads_KeysWithSlashes_PrefixDelimiterMarkers()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var keys = new[] { "a/1.bin", "a/2.bin", "b/deep/x.bin", "c.bin", "c.bin" };
        var ids = new List<(string Key, string Id)>();
        foreach (var key in keys)
        {
            ids.Add((key, await StartAsync(s3, bucket, key)));
        }

        var expected = ids.OrderBy(x => x.Key, StringComparer.Ordinal).ThenBy(x => x.Id, StringComparer.Ordinal).ToList();
        var all = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });
        Assert.Equal(expected.Select(x => x.Key + "|" + x.Id), all.MultipartUploads.Select(u => u.Key + "|" + u.UploadId));
        Assert.All(all.MultipartUploads, u => Assert.InRange(u.Initiated!.Value.ToUniversalTime(), DateTime.UtcNow.AddMinutes(-2), DateTime.UtcNow.AddMinutes(1)));

        var prefixed = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Prefix = "a/" });
        Assert.Equal(["a/1.bin", "a/2.bin"], prefixed.MultipartUploads.Select(u => u.Key));

        var rolled = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Delimiter = "/" });
        Assert.Equal(["a/", "b/"], rolled.CommonPrefixes);
        Assert.Equal(["c.bin", "c.bin"], rolled.MultipartUploads.Select(u => u.Key));

        var page1 = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, MaxUploads = 4 });
        Assert.True(page1.IsTruncated);
        Assert.Equal(4, page1.MultipartUploads.Count);
        Assert.Equal("c.bin", page1.NextKeyMarker);
        var page2 = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest
        {
            BucketName = bucket,
            MaxUploads = 4,
            KeyMarker = page1.NextKeyMarker,
            UploadIdMarker = page1.NextUploadIdMarker,
        });
        Assert.False(page2.IsTruncated);
        Assert.Equal(expected[4].Id, Assert.Single(page2.MultipartUploads).UploadId);

        var afterKey = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, KeyMarker = "a/2.bin" });
        Assert.Equal(["b/deep/x.bin", "c.bin", "c.bin"], afterKey.MultipartUploads.Select(u => u.Key));

        foreach (var (key, id) in ids)
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = id });
        }

        Assert.Empty((await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket })).MultipartUploads ?? []);
    }

    [Fact]
    public async Task UploadPart_ParallelClients_AllPartsKeptAndAssembled()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        const int parts = 6;
        var data = RandomNumberGenerator.GetBytes((parts * 5 * MiB) - 1000);
        var uploadId = await StartAsync(s3, bucket, "parallel.bin");

        var tasks = Enumerable.Range(1, parts).Select(async n =>
        {
            using var client = fx.Aws(whenRequired: n % 2 == 0);
            var offset = (n - 1) * 5 * MiB;
            return await PutPartAsync(client, bucket, "parallel.bin", uploadId, n, data, offset, Math.Min(5 * MiB, data.Length - offset));
        }).ToList();
        var etags = await Task.WhenAll(tasks);

        var listed = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "parallel.bin", UploadId = uploadId });
        Assert.Equal(Enumerable.Range(1, parts), listed.Parts.Select(p => p.PartNumber!.Value));
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "parallel.bin", UploadId = uploadId, PartETags = [.. etags] });
        Assert.Equal(SHA256.HashData(data), await Sha256OfObjectAsync(s3, bucket, "parallel.bin"));
        await GatewayBranchFiles.AssertOnlyReceiptLeftAsync(fx.Pach, bucket, uploadId);
    }

    [Fact]
    public async Task TransferUtility_64MiBStream_ByteIdentical()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var data = RandomNumberGenerator.GetBytes(64 * MiB);
        using var transfer = new Amazon.S3.Transfer.TransferUtility(s3);
        await transfer.UploadAsync(new Amazon.S3.Transfer.TransferUtilityUploadRequest
        {
            BucketName = bucket,
            Key = "big/stream.bin",
            InputStream = new MemoryStream(data),
            PartSize = 8 * MiB,
        });
        var head = await s3.GetObjectMetadataAsync(bucket, "big/stream.bin");
        Assert.Equal(data.Length, head.ContentLength);
        Assert.Equal(SHA256.HashData(data), await Sha256OfObjectAsync(s3, bucket, "big/stream.bin"));
        Assert.Empty((await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket })).MultipartUploads ?? []);
    }

    [Fact]
    public async Task MinioPutObject_64MiB_GoesMultipart_ByteIdentical()
    {
        using var minio = fx.Minio();
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3, "mio");
        var data = RandomNumberGenerator.GetBytes(64 * MiB);
        await minio.PutObjectAsync(new Minio.DataModel.Args.PutObjectArgs().WithBucket(bucket).WithObject("m/big.bin")
            .WithStreamData(new MemoryStream(data)).WithObjectSize(data.Length).WithContentType("application/octet-stream"));
        var stat = await minio.StatObjectAsync(new Minio.DataModel.Args.StatObjectArgs().WithBucket(bucket).WithObject("m/big.bin"));
        Assert.Equal(data.Length, stat.Size);
        Assert.Equal(SHA256.HashData(data), await Sha256OfObjectAsync(s3, bucket, "m/big.bin"));
    }

    [Fact]
    public async Task UploadPartCopy_WholeAndRange_AssembledFromSource()
    {
        using var s3 = fx.Aws();
        var source = await NewBucketAsync(s3, "src");
        var bucket = await NewBucketAsync(s3);
        var data = RandomNumberGenerator.GetBytes((6 * MiB) + 100);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "in/source.bin", InputStream = new MemoryStream(data) });
        var uploadId = await StartAsync(s3, bucket, "out.bin");

        var whole = await s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = source,
            SourceKey = "in/source.bin",
            DestinationBucket = bucket,
            DestinationKey = "out.bin",
            UploadId = uploadId,
            PartNumber = 1,
        });
        var ranged = await s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = source,
            SourceKey = "in/source.bin",
            DestinationBucket = bucket,
            DestinationKey = "out.bin",
            UploadId = uploadId,
            PartNumber = 2,
            FirstByte = 10,
            LastByte = 1009,
        });
        var parts = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "out.bin", UploadId = uploadId });
        Assert.Equal([(long)data.Length, 1000L], parts.Parts.Select(p => p.Size!.Value));

        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "out.bin",
            UploadId = uploadId,
            PartETags = [new PartETag(1, whole.ETag), new PartETag(2, ranged.ETag)],
        });
        var expected = data.Concat(data.Skip(10).Take(1000)).ToArray();
        Assert.Equal(expected, await GetAsync(s3, bucket, "out.bin"));
    }

    [Fact]
    public async Task UploadPartCopy_RangeBeyondSource_InvalidRange()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "small", ContentBody = "0123456789" });
        var uploadId = await StartAsync(s3, bucket, "out");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = bucket,
            SourceKey = "small",
            DestinationBucket = bucket,
            DestinationKey = "out",
            UploadId = uploadId,
            PartNumber = 1,
            FirstByte = 5,
            LastByte = 10,
        }));
        Assert.Equal("InvalidRange", e.ErrorCode);
    }

    [Fact]
    public async Task GatewayBranch_NeverListedNorAddressable()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        await StartAsync(s3, bucket, "k");
        Assert.NotEmpty(await GatewayBranchFiles.FilesOfAsync(fx.Pach, bucket, string.Empty));
        var buckets = await s3.ListBucketsAsync();
        Assert.DoesNotContain(buckets.Buckets, b => b.BucketName.Contains("_s3gateway", StringComparison.Ordinal));
        var hidden = "_s3gateway_" + bucket;
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = hidden }));
        Assert.Equal("NoSuchBucket", e.ErrorCode);
    }

    private async Task<int> CountCommitsAsync(string repo)
    {
        var n = 0;
        var data = Gateway.Pachyderm.RepoRef.InDefault(repo);
        await foreach (var unused in fx.Pach.ListCommitsAsync(data, new Gateway.Pachyderm.BranchRef(data, "master").Head))
        {
            n++;
        }

        return n;
    }
}
