using System.Security.Cryptography;
using Gateway.S3.Auth;
using Gateway.S3.Body;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Body;

public sealed class S3VerifyingStreamTests
{
    /// <summary>Returns data in small random pieces, like a network stream.</summary>
    private sealed class TricklingStream(byte[] data, int seed) : Stream
    {
        private readonly Random _rng = new(seed);
        private int _pos;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _pos; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, _rng.Next(1, 5000)), data.Length - _pos);
            data.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static async Task<long> ReadAll(Stream s)
    {
        var buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = await s.ReadAsync(buf)) > 0)
        {
            total += n;
        }

        return total;
    }

    public static TheoryData<int> Sizes => [0, 1, 7, 4096, 65_537, 300_001];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task ReadAsync_AllPromisesKept_CompletesAndExposesChecksums(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        var exp = new S3BodyExpectations
        {
            ContentLength = size,
            Sha256 = SHA256.HashData(data),
            Md5 = MD5.HashData(data),
            Checksum = S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Crc32C, data),
            ComputeAlgorithms = [S3ChecksumAlgorithm.Crc64Nvme],
        };
        using var s = new S3VerifyingStream(new TricklingStream(data, size), exp);

        var total = await ReadAll(s);

        Assert.Equal(size, total);
        Assert.True(s.IsCompleted);
        Assert.Equal(MD5.HashData(data), s.Md5!.Value.ToArray());
        Assert.Contains(S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Crc64Nvme, data), s.Checksums);
        Assert.Contains(S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Crc32C, data), s.Checksums);
        Assert.Equal(0, await s.ReadAsync(new byte[10]));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task ReadAsync_Sha256Mismatch_ThrowsAtEofNotBefore(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        var wrong = SHA256.HashData(data);
        wrong[0] ^= 1;
        using var s = new S3VerifyingStream(new TricklingStream(data, size), new S3BodyExpectations { Sha256 = wrong });
        var buf = new byte[8192];
        long total = 0;

        var ex = await Assert.ThrowsAsync<S3Exception>(async () =>
        {
            int n;
            while ((n = await s.ReadAsync(buf)) > 0)
            {
                total += n;
            }
        });

        Assert.Same(S3Errors.XAmzContentSha256Mismatch, ex.Error);
        Assert.Equal(size, total);
        Assert.False(s.IsCompleted);
    }

    [Fact]
    public async Task ReadAsync_Md5Mismatch_BadDigest()
    {
        var data = RandomNumberGenerator.GetBytes(1000);
        using var s = new S3VerifyingStream(new MemoryStream(data), new S3BodyExpectations { Md5 = MD5.HashData([1, 2, 3]) });

        Assert.Same(S3Errors.BadDigest, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(s))).Error);
    }

    [Theory]
    [InlineData(S3ChecksumAlgorithm.Crc32)]
    [InlineData(S3ChecksumAlgorithm.Crc32C)]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme)]
    [InlineData(S3ChecksumAlgorithm.Sha1)]
    [InlineData(S3ChecksumAlgorithm.Sha256)]
    public async Task ReadAsync_ChecksumMismatch_BadDigestNamingAlgorithm(S3ChecksumAlgorithm algorithm)
    {
        var data = RandomNumberGenerator.GetBytes(5000);
        var other = S3ChecksumHasher.Compute(algorithm, data.AsSpan(1));
        using var s = new S3VerifyingStream(new MemoryStream(data), new S3BodyExpectations { Checksum = other });

        var ex = await Assert.ThrowsAsync<S3Exception>(() => ReadAll(s));

        Assert.Same(S3Errors.BadDigest, ex.Error);
        Assert.Contains(S3ChecksumAlgorithms.WireName(algorithm), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ShortBody_IncompleteBody()
    {
        using var s = new S3VerifyingStream(new MemoryStream(new byte[99]), new S3BodyExpectations { ContentLength = 100 });

        Assert.Same(S3Errors.IncompleteBody, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(s))).Error);
    }

    [Fact]
    public async Task ReadAsync_LongBody_Rejected()
    {
        using var s = new S3VerifyingStream(new MemoryStream(new byte[101]), new S3BodyExpectations { ContentLength = 100 });

        Assert.Same(S3Errors.InvalidRequest, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(s))).Error);
    }

    [Fact]
    public void Read_Sync_AlsoVerifies()
    {
        var data = RandomNumberGenerator.GetBytes(3000);
        var wrong = SHA256.HashData([]);
        using var s = new S3VerifyingStream(new MemoryStream(data), new S3BodyExpectations { Sha256 = wrong });

        Assert.Throws<S3Exception>(() => s.CopyTo(Stream.Null));
    }

    [Fact]
    public async Task ReadAsync_TrailingChecksum_VerifiedAtEnd()
    {
        var data = RandomNumberGenerator.GetBytes(2048);
        var good = S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Crc32, data);
        using var ok = new S3VerifyingStream(new MemoryStream(data), new S3BodyExpectations { ComputeAlgorithms = [S3ChecksumAlgorithm.Crc32] }, () => [good]);
        using var bad = new S3VerifyingStream(new MemoryStream(data), new S3BodyExpectations { ComputeAlgorithms = [S3ChecksumAlgorithm.Crc32] }, () => [good with { Base64 = "AAAAAA==" }]);

        await ReadAll(ok);

        Assert.True(ok.IsCompleted);
        Assert.Same(S3Errors.BadDigest, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(bad))).Error);
    }

    [Fact]
    public async Task ReadAsync_KestrelBadRequest_MappedToS3Errors()
    {
        var throwing = new ThrowingStream(new BadHttpRequestException("Unexpected end of request content.", 400));
        using var s = new S3VerifyingStream(throwing, new S3BodyExpectations());

        Assert.Same(S3Errors.IncompleteBody, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(s))).Error);
        using var s2 = new S3VerifyingStream(new ThrowingStream(new BadHttpRequestException("too large", 413)), new S3BodyExpectations());
        Assert.Same(S3Errors.EntityTooLarge, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(s2))).Error);
    }

    private sealed class ThrowingStream(Exception ex) : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw ex;
    }

    [Theory]
    [InlineData("1B2M2Y8AsgTpgAmY7PhCfg==", true)]
    [InlineData("1B2M2Y8AsgTpgAmY7PhC", false)]
    [InlineData("!!!", false)]
    [InlineData("AAAAAA==", false)]
    public void ParseMd5_ValidatesBase64Of16Bytes(string value, bool ok)
    {
        if (ok)
        {
            Assert.Equal(16, S3BodyExpectations.ParseMd5(value).Length);
        }
        else
        {
            Assert.Same(S3Errors.InvalidDigest, Assert.Throws<S3Exception>(() => S3BodyExpectations.ParseMd5(value)).Error);
        }
    }

    private static S3AuthResult Anonymous(string? sha = null) =>
        new(S3Identity.Anonymous, sha is null ? S3PayloadMode.None : S3PayloadMode.Sha256, sha, null);

    [Fact]
    public void FromRequest_ReadsAllHeaders()
    {
        var ctx = new DefaultHttpContext();
        ctx.Request.ContentLength = 5;
        ctx.Request.Headers.ContentMD5 = "1B2M2Y8AsgTpgAmY7PhCfg==";
        ctx.Request.Headers["x-amz-checksum-crc32"] = "AAAAAA==";
        ctx.Request.Headers["x-amz-sdk-checksum-algorithm"] = "CRC32";

        var e = S3BodyExpectations.FromRequest(ctx.Request, Anonymous(S3ContentSha256.EmptySha256));

        Assert.Equal(5, e.ContentLength);
        Assert.NotNull(e.Md5);
        Assert.Equal(32, e.Sha256!.Value.Length);
        Assert.Equal(S3ChecksumAlgorithm.Crc32, e.Checksum!.Algorithm);
    }

    [Theory]
    [InlineData("x-amz-checksum-crc32", "AAAA", "InvalidRequest")]
    [InlineData("Content-MD5", "abc", "InvalidDigest")]
    [InlineData("x-amz-sdk-checksum-algorithm", "MD4", "InvalidRequest")]
    public void FromRequest_BadHeader_Rejected(string name, string value, string code)
    {
        var ctx = new DefaultHttpContext();
        ctx.Request.Headers[name] = value;

        Assert.Equal(code, Assert.Throws<S3Exception>(() => S3BodyExpectations.FromRequest(ctx.Request, Anonymous())).Error.Code);
    }

    [Fact]
    public void FromRequest_TwoChecksumHeaders_InvalidRequest()
    {
        var ctx = new DefaultHttpContext();
        ctx.Request.Headers["x-amz-checksum-crc32"] = "AAAAAA==";
        ctx.Request.Headers["x-amz-checksum-crc32c"] = "AAAAAA==";

        Assert.Same(S3Errors.InvalidRequest, Assert.Throws<S3Exception>(() => S3BodyExpectations.FromRequest(ctx.Request, Anonymous())).Error);
    }
}
