using Gateway.Core.Naming;
using Gateway.Core.Uploads;
using Gateway.S3.Checksums;

namespace Gateway.Core.Tests.Uploads;

public sealed class UploadLayoutTests
{
    private static readonly BucketAddress _bucket = new("proj", "data", "dev", null);

    [Fact]
    public void UploadDirectory_HexKeyAndIdOnTheBucketsGatewayBranch()
    {
        Assert.Equal("/uploads/612f622e62696e/0123456789abcdef0123456789abcdef/", UploadLayout.UploadDirectory("a/b.bin", "0123456789abcdef0123456789abcdef"));
        Assert.Equal(new Pachyderm.BranchRef(new Pachyderm.RepoRef("proj", "data"), "_s3gateway_dev").Head, UploadLayout.Head(_bucket));
    }

    [Fact]
    public void Head_SameBranchWhateverBucketSpelling_SameGatewayBranch()
    {
        Assert.True(BucketName.TryParse("data", out var a, out _));
        Assert.True(BucketName.TryParse("master.data", out var b, out _));
        Assert.True(BucketName.TryParse("master.data.default", out var c, out _));
        Assert.Equal(UploadLayout.Head(a), UploadLayout.Head(b));
        Assert.Equal(UploadLayout.Head(a), UploadLayout.Head(c));
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("a", "a/")]
    [InlineData("a/", "a0")]
    [InlineData("a/b", "a0")]
    [InlineData("Z", "a")]
    [InlineData("photos/2024", "photos/2024/x")]
    [InlineData("x y", "x~")]
    public void EncodeKey_PreservesKeyOrder(string lower, string higher)
    {
        Assert.True(string.CompareOrdinal(lower, higher) < 0);
        Assert.True(string.CompareOrdinal(UploadLayout.EncodeKey(lower), UploadLayout.EncodeKey(higher)) < 0);
        Assert.True(UploadLayout.TryDecodeKey(UploadLayout.EncodeKey(higher), out var back));
        Assert.Equal(higher, back);
    }

    [Fact]
    public void EncodeKey_PrefixOfKeyIsPrefixOfPath()
    {
        Assert.StartsWith(UploadLayout.EncodeKey("photos/"), UploadLayout.EncodeKey("photos/2024/a.jpg"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "00001")]
    [InlineData(2, "00002")]
    [InlineData(10, "00010")]
    [InlineData(10000, "10000")]
    public void PartDirectory_ZeroPadded_LexicographicIsNumeric(int number, string expected)
    {
        Assert.EndsWith("/parts/" + expected + "/", UploadLayout.PartDirectory("/u/", number), StringComparison.Ordinal);
        Assert.True(string.CompareOrdinal(UploadLayout.PartDirectory("/u/", number), UploadLayout.PartDirectory("/u/", number + 1)) < 0);
    }

    [Fact]
    public void PartPath_RoundTripsNumberAndTime()
    {
        var at = new DateTimeOffset(2026, 11, 25, 16, 0, 0, 123, TimeSpan.Zero);
        var path = UploadLayout.PartPath("/uploads/p/r/b/6b/0123456789abcdef0123456789abcdef/", 42, at, "deadbeef");
        Assert.True(UploadLayout.TryParsePartPath(path, out var n, out var uploaded));
        Assert.Equal(42, n);
        Assert.Equal(at, uploaded);
        Assert.StartsWith(UploadLayout.PartDirectory("/uploads/p/r/b/6b/0123456789abcdef0123456789abcdef/", 42), path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/u/parts/00001")]
    [InlineData("/u/parts/1/1700000000000-aa")]
    [InlineData("/u/parts/00000/1700000000000-aa")]
    [InlineData("/u/other/00001/1700000000000-aa")]
    [InlineData("/u/parts/00001/notatime")]
    public void TryParsePartPath_ForeignPaths_False(string path) =>
        Assert.False(UploadLayout.TryParsePartPath(path, out _, out _));

    [Fact]
    public void ManifestPath_RoundTripsKeyIdAndTime()
    {
        var id = UploadIds.New();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123);
        var path = UploadLayout.ManifestPath(UploadLayout.UploadDirectory("dir/x y.bin", id), at);
        Assert.True(UploadLayout.TryParseManifestPath(path, out var key, out var uploadId, out var initiated));
        Assert.Equal("dir/x y.bin", key);
        Assert.Equal(id, uploadId);
        Assert.Equal(at, initiated);
    }

    [Theory]
    [InlineData(S3ChecksumAlgorithm.Crc32, "AAAAAA==")]
    [InlineData(S3ChecksumAlgorithm.Crc32C, "yZRlqg==")]
    [InlineData(S3ChecksumAlgorithm.Sha256, "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=")]
    public void ChecksumPath_RoundTrips_AndIsNotAPart(S3ChecksumAlgorithm algorithm, string base64)
    {
        var path = UploadLayout.ChecksumPath("/uploads/p/r/b/6b/0123456789abcdef0123456789abcdef/", 12, new S3Checksum(algorithm, base64));
        Assert.StartsWith(UploadLayout.PartDirectory("/uploads/p/r/b/6b/0123456789abcdef0123456789abcdef/", 12), path, StringComparison.Ordinal);
        Assert.True(UploadLayout.TryParseChecksumPath(path, out var n, out var checksum));
        Assert.Equal(12, n);
        Assert.Equal(new S3Checksum(algorithm, base64), checksum);
        Assert.False(UploadLayout.TryParsePartPath(path, out _, out _));
        Assert.True(string.CompareOrdinal(UploadLayout.PartPath("/u/", 12, DateTimeOffset.UtcNow, "ab"), UploadLayout.ChecksumPath("/u/", 12, checksum)) < 0);
    }

    [Fact]
    public void Md5Path_RoundTrips_AndIsNotAPart()
    {
        var md5 = System.Security.Cryptography.MD5.HashData("part"u8);
        var path = UploadLayout.Md5Path("/uploads/6b/0123456789abcdef0123456789abcdef/", 3, md5);
        Assert.True(UploadLayout.TryParseMd5Path(path, out var n, out var back));
        Assert.Equal(3, n);
        Assert.Equal(md5, back);
        Assert.False(UploadLayout.TryParsePartPath(path, out _, out _));
        Assert.False(UploadLayout.TryParseChecksumPath(path, out _, out _));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", false)]
    [InlineData("0123456789abcdef", false)]
    [InlineData("../../etc/passwd0123456789abcdef", false)]
    [InlineData("", false)]
    public void UploadIds_IsValid(string id, bool valid) => Assert.Equal(valid, UploadIds.IsValid(id));

    [Fact]
    public void UploadIds_New_Random32Hex()
    {
        var a = UploadIds.New();
        Assert.True(UploadIds.IsValid(a));
        Assert.NotEqual(a, UploadIds.New());
    }
}
