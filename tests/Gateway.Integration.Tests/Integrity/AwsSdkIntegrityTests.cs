using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Pachyderm;
using Gateway.S3.Checksums;
using Xunit.Abstractions;

namespace Gateway.Integration.Tests.Integrity;

/// <summary>
/// AWSSDK.S3 4.x with its default integrity settings (signed aws-chunked body plus a signed CRC32 trailer) and
/// with WHEN_REQUIRED, over plain http and over https, byte-identical both ways.
/// </summary>
[Collection(TlsCollection.Name)]
public sealed class AwsSdkIntegrityTests(TlsGatewayFixture fx, ITestOutputHelper output)
{
    private const long _mib = 1024 * 1024;

    private static async Task<string> NewBucketAsync(AmazonS3Client s3)
    {
        var repo = "integ-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = repo });
        return "master." + repo;
    }

    private static string Crc32Of(long length, int seed)
    {
        using var hasher = new S3ChecksumHasher(S3ChecksumAlgorithm.Crc32);
        var pattern = GeneratedStream.Pattern(seed);
        var buffer = new byte[1 << 20];
        for (long pos = 0; pos < length; pos += buffer.Length)
        {
            var n = (int)Math.Min(buffer.Length, length - pos);
            GeneratedStream.Fill(pattern, pos, buffer.AsSpan(0, n));
            hasher.Append(buffer.AsSpan(0, n));
        }

        return hasher.GetCurrent().Base64;
    }

    [Theory]
    [InlineData(false, 0L, false)]
    [InlineData(false, 1L, false)]
    [InlineData(false, 8 * _mib + 1, false)]
    [InlineData(false, 100 * _mib, false)]
    [InlineData(true, 0L, false)]
    [InlineData(true, 1L, false)]
    [InlineData(true, 8 * _mib + 1, false)]
    [InlineData(true, 100 * _mib, false)]
    [InlineData(false, 8 * _mib + 1, true)]
    [InlineData(true, 8 * _mib + 1, true)]
    public async Task PutObjectGetObject_SdkChecksumSettings_ByteIdentical(bool tls, long size, bool whenRequired)
    {
        using var s3 = fx.Aws(tls, whenRequired);
        var bucket = await NewBucketAsync(s3);
        var seed = (int)(size % int.MaxValue) + (tls ? 1 : 0);
        var key = $"blob-{size}.bin";

        var clock = Stopwatch.StartNew();
        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = new GeneratedStream(size, seed),
            AutoCloseStream = true,
        });
        var putTime = clock.Elapsed;

        // What the SDK sent decides which decoder path ran: check it is the one this test claims to cover.
        var wire = fx.Wire.Last("PUT", "/" + key);
        Assert.Equal(tls ? "https" : "http", wire.Scheme);
        if (size == 0)
        {
            // An empty body goes unframed, with the empty payload's hash and the CRC32 as a header.
            Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", wire.ContentSha256);
            Assert.Empty(wire.ContentEncoding);
        }
        else if (whenRequired)
        {
            Assert.Contains("aws-chunked", wire.ContentEncoding, StringComparison.Ordinal);
            Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), wire.DecodedContentLength);
            Assert.Equal("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", wire.ContentSha256);
            Assert.Empty(wire.Trailer);
        }
        else
        {
            Assert.Contains("aws-chunked", wire.ContentEncoding, StringComparison.Ordinal);
            Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), wire.DecodedContentLength);
            Assert.Equal("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", wire.ContentSha256);
            Assert.Equal("x-amz-checksum-crc32", wire.Trailer);
        }

        if (!whenRequired)
        {
            Assert.Equal(Crc32Of(size, seed), put.ChecksumCRC32); // the gateway echoes the verified value
        }

        clock.Restart();
        using (var get = await s3.GetObjectAsync(bucket, key))
        {
            Assert.Equal(size, get.ContentLength);
            Assert.Equal(-1, await GeneratedStream.FirstDifferenceAsync(get.ResponseStream, size, seed));
            Assert.Equal(put.ETag, get.ETag);
        }

        output.WriteLine($"AWSSDK.S3 {(tls ? "https" : "http")} {(whenRequired ? "WHEN_REQUIRED" : "default")} {size} B: put {putTime.TotalMilliseconds:F0} ms, get {clock.Elapsed.TotalMilliseconds:F0} ms ({wire.ContentSha256}; {wire.ChecksumHeaders})");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PutObject_ExplicitAlgorithms_EchoedAndStored(bool tls)
    {
        using var s3 = fx.Aws(tls);
        var bucket = await NewBucketAsync(s3);
        var data = new byte[300_001];
        new Random(7).NextBytes(data);
        foreach (var algorithm in new[] { ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256, ChecksumAlgorithm.CRC64NVME })
        {
            var key = "alg-" + algorithm.Value;
            var put = await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = new MemoryStream(data),
                ChecksumAlgorithm = algorithm,
            });
            Assert.Equal("x-amz-checksum-" + algorithm.Value.ToLowerInvariant(), fx.Wire.Last("PUT", "/" + key).Trailer);
            var expected = algorithm.Value switch
            {
                "CRC32C" => (put.ChecksumCRC32C, S3ChecksumAlgorithm.Crc32C),
                "SHA1" => (put.ChecksumSHA1, S3ChecksumAlgorithm.Sha1),
                "SHA256" => (put.ChecksumSHA256, S3ChecksumAlgorithm.Sha256),
                _ => (put.ChecksumCRC64NVME, S3ChecksumAlgorithm.Crc64Nvme),
            };
            Assert.Equal(S3ChecksumHasher.Compute(expected.Item2, data).Base64, expected.Item1);

            using var get = await s3.GetObjectAsync(bucket, key);
            using var copy = new MemoryStream();
            await get.ResponseStream.CopyToAsync(copy);
            Assert.Equal(data, copy.ToArray());
        }

        var branch = new BranchRef(RepoRef.InDefault(bucket["master.".Length..]), "master");
        Assert.NotNull((await fx.Pach.InspectBranchAsync(branch)).Head);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task PutObject_SdkBodyCorruptedInTransit_SignatureDoesNotMatchAndNoCommit(bool tls, bool whenRequired)
    {
        using var s3 = fx.Aws(tls, whenRequired);
        var bucket = await NewBucketAsync(s3);
        var branch = new BranchRef(RepoRef.InDefault(bucket["master.".Length..]), "master");
        var before = (await fx.Pach.InspectBranchAsync(branch)).Head?.Id;

        // Offset 100_000 is inside the data of the SDK's second 80 KiB chunk, past its framing line.
        using var corrupting = fx.Aws(tls, whenRequired, wrap: inner => new CorruptingHandler(inner, 100_000));
        var e = await Assert.ThrowsAsync<AmazonS3Exception>(() => corrupting.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "corrupted.bin",
            InputStream = new GeneratedStream(1_000_000, 5),
        }));

        Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
        Assert.Equal(before, (await fx.Pach.InspectBranchAsync(branch)).Head?.Id);
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "corrupted.bin"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>The other framings AWSSDK.S3 4.x chooses (observed): unsigned trailer whenever payload signing is off
    /// and a checksum is due, plain UNSIGNED-PAYLOAD only without one, a hex hash plus a checksum header without chunking.</summary>
    [Theory]
    [InlineData(true, false, true, true, "STREAMING-UNSIGNED-PAYLOAD-TRAILER")]
    [InlineData(true, false, true, false, "STREAMING-UNSIGNED-PAYLOAD-TRAILER")]
    [InlineData(true, true, true, false, "UNSIGNED-PAYLOAD")]
    [InlineData(true, false, false, false, "hex")]
    [InlineData(false, false, false, false, "hex")]
    [InlineData(false, true, false, false, "hex")]
    public async Task PutObject_SdkSigningVariants_FramingAsExpectedAndByteIdentical(bool tls, bool whenRequired, bool disablePayloadSigning, bool useChunkEncoding, string expectedMode)
    {
        using var s3 = fx.Aws(tls, whenRequired);
        var bucket = await NewBucketAsync(s3);
        const long size = 3 * _mib + 5;
        var key = $"variant-{disablePayloadSigning}-{useChunkEncoding}.bin";

        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = new GeneratedStream(size, 11),
            DisablePayloadSigning = disablePayloadSigning,
            UseChunkEncoding = useChunkEncoding,
        });

        var wire = fx.Wire.Last("PUT", "/" + key);
        output.WriteLine($"{wire.Scheme} WhenRequired={whenRequired} DisablePayloadSigning={disablePayloadSigning} UseChunkEncoding={useChunkEncoding}: {wire.ContentSha256}, trailer '{wire.Trailer}', headers '{wire.ChecksumHeaders}'");
        if (expectedMode == "hex")
        {
            Assert.Equal(64, wire.ContentSha256.Length);
        }
        else
        {
            Assert.Equal(expectedMode, wire.ContentSha256);
        }

        Assert.Equal(whenRequired ? null : Crc32Of(size, 11), put.ChecksumCRC32);
        using var get = await s3.GetObjectAsync(bucket, key);
        Assert.Equal(-1, await GeneratedStream.FirstDifferenceAsync(get.ResponseStream, size, 11));
    }
}
