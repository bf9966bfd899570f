using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Integration.Tests;

[Collection(AuthOffCollection.Name)]
[Trait("Host", "Any")]
public sealed class AwsSdkObjectTests(AuthOffFixture fx)
{
    private async Task<string> NewBucketAsync(AmazonS3Client s3)
    {
        var repo = GatewayFixture.NewName("obj");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = repo });
        return "master." + repo;
    }

    private static async Task<byte[]> ReadAllAsync(GetObjectResponse response)
    {
        using var ms = new MemoryStream();
        await response.ResponseStream.CopyToAsync(ms);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3 * 1024 * 1024 + 17)]
    public async Task PutGetHeadDelete_Sizes_RoundTrip(int size)
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var data = RandomNumberGenerator.GetBytes(size);

        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "data/blob.bin", InputStream = new MemoryStream(data) });
        Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(data)) + "\"", put.ETag);
        Assert.False(string.IsNullOrEmpty(put.VersionId));

        using (var get = await s3.GetObjectAsync(bucket, "data/blob.bin"))
        {
            Assert.Equal(data, await ReadAllAsync(get));
            Assert.Equal(put.ETag, get.ETag);
            Assert.Equal("application/octet-stream", get.Headers.ContentType);
        }

        var head = await s3.GetObjectMetadataAsync(bucket, "data/blob.bin");
        Assert.Equal(size, head.ContentLength);
        Assert.Equal(put.ETag, head.ETag);

        await s3.DeleteObjectAsync(bucket, "data/blob.bin");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "data/blob.bin"));
        Assert.Equal("NoSuchKey", e.ErrorCode);

        // Deleting again is still a success.
        await s3.DeleteObjectAsync(bucket, "data/blob.bin");
    }

    [Theory]
    [InlineData("with space.txt")]
    [InlineData("per%cent")]
    [InlineData("deep/dir/tree/file.json")]
    [InlineData("quote's & ampersand=eq,comma;semi")]
    public async Task PutGet_SpecialKeys_RoundTrip(string key)
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "body:" + key });
        using var get = await s3.GetObjectAsync(bucket, key);
        Assert.Equal("body:" + key, new StreamReader(get.ResponseStream).ReadToEnd());
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(key, Assert.Single(listed.S3Objects).Key);
    }

    [Theory]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("up/../b")]
    public async Task Put_KeyPachydermWouldFoldIntoAnotherPath_InvalidArgument(string key)
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "x" }));
        if (GatewayFixture.BehindFunctionsHost && key.Contains("/.", StringComparison.Ordinal))
        {
            // The host removes dot segments before the worker sees the path; the signature no longer matches it.
            Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        }
        else
        {
            Assert.Equal("InvalidArgument", e.ErrorCode);
            Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        }

        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []);
    }

    [Fact]
    public async Task PutGetList_KeysPachydermRefusesAsPaths_RoundTripInS3Order()
    {
        string[] keys = ["caf\u00e9.txt", "cafe\u0301.txt", "a+b", "star*", "photo (1).jpg", "[x]{y}^!@?", "\u65e5\u672c/\u30c7\u30fc\u30bf.csv", "it's~", "sp ace", "emoji \U0001F600", "plus+sign=eq.txt", "100%"];
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        foreach (var key in keys)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "body of " + key });
        }

        foreach (var key in keys)
        {
            using var get = await s3.GetObjectAsync(bucket, key);
            Assert.Equal("body of " + key, new StreamReader(get.ResponseStream).ReadToEnd());
        }

        var listed = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, MaxKeys = 3 };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            listed.AddRange(page.S3Objects.Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        var expected = keys.Order(Comparer<string>.Create((a, b) => System.Text.Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b)))).ToList();
        Assert.Equal(expected, listed);
    }

    [Fact]
    public async Task Put_FolderMarker_AcceptedAndCreatesNothing()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "folder/", ContentBody = string.Empty });
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Empty(listed.S3Objects ?? []);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Put_PlainSignedPayload_RoundTripWithChecksumEcho(bool chunked)
    {
        using var s3 = fx.Aws(whenRequired: !chunked);
        var bucket = await NewBucketAsync(s3);
        var data = RandomNumberGenerator.GetBytes(1024 * 1024 + 3);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "p.bin", InputStream = new MemoryStream(data), UseChunkEncoding = chunked });
        if (chunked)
        {
            Assert.False(string.IsNullOrEmpty(put.ChecksumCRC32));
        }

        using var get = await s3.GetObjectAsync(bucket, "p.bin");
        Assert.Equal(data, await ReadAllAsync(get));
    }

    [Fact]
    public async Task Put_MissingBucket_NoSuchBucket()
    {
        using var s3 = fx.Aws();
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = "master." + GatewayFixture.NewName("nob"), Key = "k", ContentBody = "x" }));
        Assert.Equal("NoSuchBucket", e.ErrorCode);
    }

    [Fact]
    public async Task Put_BadContentMd5_BadDigestAndNothingCommitted()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "k",
            ContentBody = "the real body",
            MD5Digest = Convert.ToBase64String(MD5.HashData("another body"u8)),
        }));
        Assert.Equal("BadDigest", e.ErrorCode);
        var head = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "k"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Get_Ranges_PartialContent()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "r.txt", ContentBody = "0123456789" });

        async Task<string> RangeAsync(string header)
        {
            using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r.txt", ByteRange = new ByteRange(header) });
            Assert.Equal(HttpStatusCode.PartialContent, get.HttpStatusCode);
            return new StreamReader(get.ResponseStream).ReadToEnd();
        }

        Assert.Equal("234", await RangeAsync("bytes=2-4"));
        Assert.Equal("789", await RangeAsync("bytes=-3"));
        Assert.Equal("6789", await RangeAsync("bytes=6-"));
        Assert.Equal("89", await RangeAsync("bytes=8-100"));

        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r.txt", ByteRange = new ByteRange(10, 20) }));
        Assert.Equal("InvalidRange", e.ErrorCode);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, e.StatusCode);
    }

    [Fact]
    public async Task Get_Conditionals_304And412()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "c", ContentBody = "abc" });

        var notModified = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "c", EtagToNotMatch = put.ETag }));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        var failed = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "c", EtagToMatch = "\"0000-1\"" }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, failed.StatusCode);

        using var ok = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "c", EtagToMatch = put.ETag });
        Assert.Equal("abc", new StreamReader(ok.ResponseStream).ReadToEnd());
    }

    [Fact]
    public async Task Get_VersionId_ReadsThatCommit()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var v1 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "v", ContentBody = "one" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "v", ContentBody = "two" });

        using (var old = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "v", VersionId = v1.VersionId }))
        {
            Assert.Equal("one", new StreamReader(old.ResponseStream).ReadToEnd());
            Assert.Equal(v1.VersionId, old.VersionId);
        }

        using (var pinned = await s3.GetObjectAsync($"{v1.VersionId}.{bucket}", "v"))
        {
            Assert.Equal("one", new StreamReader(pinned.ResponseStream).ReadToEnd());
        }

        using (var current = await s3.GetObjectAsync(bucket, "v"))
        {
            Assert.Equal("two", new StreamReader(current.ResponseStream).ReadToEnd());
        }

        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "v", VersionId = "0123456789ab4def0123456789abcdef" }));
        Assert.Equal("NoSuchVersion", e.ErrorCode);
    }

    [Fact]
    public async Task Put_CommitPinnedBucket_MethodNotAllowed()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var v1 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "v", ContentBody = "one" });
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = $"{v1.VersionId}.{bucket}", Key = "w", ContentBody = "x" }));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, e.StatusCode);
    }

    [Fact]
    public async Task Get_MissingKeyAndBucket_NoSuchKeyThenNoSuchBucket()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        var key = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "missing"));
        Assert.Equal("NoSuchKey", key.ErrorCode);
        var nob = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync("master." + GatewayFixture.NewName("nob"), "missing"));
        Assert.Equal("NoSuchBucket", nob.ErrorCode);
    }

    [Fact]
    public async Task DeleteObjects_Batch_OneCommitAndEveryKeyReported()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        foreach (var k in new[] { "a", "b/c", "d" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = k, ContentBody = k });
        }

        var branch = new BranchRef(RepoRef.InDefault(bucket["master.".Length..]), "master");
        var before = (await fx.Pach.InspectBranchAsync(branch)).Head.Id;
        var result = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = [new KeyVersion { Key = "a" }, new KeyVersion { Key = "b/c" }, new KeyVersion { Key = "d" }, new KeyVersion { Key = "never-there" }],
        });

        Assert.Equal(4, result.DeletedObjects.Count);
        Assert.Empty(result.DeleteErrors ?? []);
        // Exactly one new commit: the new head's parent is the old head.
        var after = (await fx.Pach.InspectBranchAsync(branch)).Head.Id;
        Assert.NotEqual(before, after);
        var commit = await fx.Pach.InspectCommitAsync(CommitRef.ById(branch.Repo, after));
        Assert.Equal(before, commit.ParentCommit.Id);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Empty(listed.S3Objects ?? []);
    }

    [Fact]
    public async Task DeleteObjects_Quiet_NoDeletedEntries()
    {
        using var s3 = fx.Aws();
        var bucket = await NewBucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "q", ContentBody = "q" });
        var result = await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Quiet = true, Objects = [new KeyVersion { Key = "q" }] });
        Assert.Empty(result.DeletedObjects ?? []);
        Assert.Empty(result.DeleteErrors ?? []);
    }
}
