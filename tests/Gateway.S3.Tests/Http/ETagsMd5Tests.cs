using System.Security.Cryptography;
using Gateway.S3.Http;

namespace Gateway.S3.Tests.Http;

public sealed class ETagsMd5Tests
{
    private static byte[] Md5(ReadOnlySpan<byte> data)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        h.AppendData(data);
        return h.GetHashAndReset();
    }

    [Theory]
    [InlineData("", "\"d41d8cd98f00b204e9800998ecf8427e\"")]
    [InlineData("hello", "\"5d41402abc4b2a76b9719d911017c592\"")]
    public void FromMd5_QuotedLowerHex(string data, string expected)
    {
        Assert.Equal(expected, ETags.FromMd5(Md5(System.Text.Encoding.ASCII.GetBytes(data))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    public void FromMd5_NotSixteenBytes_ArgumentException(int length)
    {
        Assert.Throws<ArgumentException>(() => ETags.FromMd5(new byte[length]));
    }

    /// <summary>Published vectors (MinIO's TestGetCompleteMultipartMD5), given as part ETags.</summary>
    [Theory]
    [InlineData(new[] { "cf1f738a5924e645913c984e0fe3d708" }, "\"10dc1617fbcf0bd0858048cb96e6bd77-1\"")]
    [InlineData(new[] { "cf1f738a5924e645913c984e0fe3d708", "9ccbc9a80eee7fb6fdd22441db2aedbd" }, "\"0239a86b5266bb624f0ac60ba2aed6c8-2\"")]
    [InlineData(new[] { "\"CF1F738A5924E645913C984E0FE3D708\"", "\"9ccbc9a80eee7fb6fdd22441db2aedbd\"" }, "\"0239a86b5266bb624f0ac60ba2aed6c8-2\"")]
    public void MultipartFromMd5s_PublishedVectors(string[] partETags, string expected)
    {
        Assert.Equal(expected, ETags.MultipartFromMd5s([.. partETags.Select(e => ETags.TryParseMd5(e)!)]));
    }

    [Fact]
    public void MultipartFromMd5s_MatchesMd5OfConcatenatedDigests()
    {
        byte[][] parts = [new byte[5 * 1024 * 1024], [.. Enumerable.Range(0, 256).Select(i => (byte)i)], "last"u8.ToArray()];
        parts[0].AsSpan().Fill(0x61);
        var digests = parts.Select(p => Md5(p)).ToArray();

        var etag = ETags.MultipartFromMd5s(digests);

        var expected = "\"" + Convert.ToHexStringLower(Md5(digests.SelectMany(d => d).ToArray())) + "-3\"";
        Assert.Equal(expected, etag);
        Assert.Equal(digests, digests.Select(d => ETags.TryParseMd5(ETags.FromMd5(d))));
        Assert.NotEqual(ETags.FromMd5(Md5(parts.SelectMany(p => p).ToArray())), etag);
    }

    [Fact]
    public void MultipartFromMd5s_OnePart_IsNotThePartsETag()
    {
        var digest = Md5("x"u8);

        var etag = ETags.MultipartFromMd5s([digest]);

        Assert.EndsWith("-1\"", etag, StringComparison.Ordinal);
        Assert.Equal("\"" + Convert.ToHexStringLower(Md5(digest)) + "-1\"", etag);
    }

    [Fact]
    public void Multipart_TenThousandParts()
    {
        var digests = Enumerable.Range(0, 10_000).Select(i => Md5(BitConverter.GetBytes(i))).ToArray();

        Assert.EndsWith("-10000\"", ETags.MultipartFromMd5s(digests), StringComparison.Ordinal);
    }

    public static TheoryData<byte[][]> BadDigests => new()
    {
        Array.Empty<byte[]>(),
        new[] { new byte[15] },
        new[] { new byte[16], new byte[17] },
        new byte[][] { null! },
    };

    [Theory]
    [MemberData(nameof(BadDigests))]
    public void MultipartFromMd5s_Bad_ArgumentException(byte[][] digests)
    {
        Assert.Throws<ArgumentException>(() => ETags.MultipartFromMd5s(digests));
    }

    public static TheoryData<string[]> NotMd5ETags => new()
    {
        Array.Empty<string>(),
        new[] { "abc" },
        new[] { "cf1f738a5924e645913c984e0fe3d70" },
        new[] { "cf1f738a5924e645913c984e0fe3d708-2" },
        new[] { "zz1f738a5924e645913c984e0fe3d708" },
        new[] { "" },
        new string[] { null! },
    };

    [Theory]
    [MemberData(nameof(NotMd5ETags))]
    public void TryParseMd5_NotMd5_Null(string[] partETags)
    {
        Assert.All(partETags, e => Assert.Null(ETags.TryParseMd5(e)));
    }
}
