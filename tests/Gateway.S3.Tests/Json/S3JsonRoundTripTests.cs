using System.Text.Json;
using Gateway.S3.Checksums;
using Gateway.S3.Http;
using Gateway.S3.Tags;

namespace Gateway.S3.Tests.Json;

/// <summary>The compact JSON forms of metadata, tags and stored checksums.</summary>
public sealed class S3JsonRoundTripTests
{
    private static readonly S3ObjectMetadata _full = new()
    {
        ContentType = "text/plain; charset=utf-8",
        ContentEncoding = "gzip",
        ContentDisposition = "attachment; filename=\"a b.txt\"",
        ContentLanguage = "de-CH",
        CacheControl = "max-age=60",
        Expires = "not even a date",
        UserMetadata = new Dictionary<string, string> { ["zeta"] = "z", ["alpha"] = "ÄMÄZÕÑ \"quoted\"" },
    };

    [Fact]
    public void Metadata_Full_ExactFormAndRoundTrip()
    {
        var json = _full.ToJson();

        Assert.Equal(
            "{\"contentType\":\"text/plain; charset=utf-8\",\"contentEncoding\":\"gzip\",\"contentDisposition\":\"attachment; filename=\\u0022a b.txt\\u0022\"," +
            "\"contentLanguage\":\"de-CH\",\"cacheControl\":\"max-age=60\",\"expires\":\"not even a date\"," +
            "\"userMetadata\":{\"alpha\":\"\\u00C4M\\u00C4Z\\u00D5\\u00D1 \\u0022quoted\\u0022\",\"zeta\":\"z\"}}",
            json);
        AssertSame(_full, S3ObjectMetadata.FromJson(json));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"contentType\":\"a/b\"}")]
    [InlineData("{\"expires\":\"\"}")]
    [InlineData("{\"userMetadata\":{\"k\":\"\"}}")]
    public void Metadata_AbsentFieldsStayAbsent(string json)
    {
        Assert.Equal(json, S3ObjectMetadata.FromJson(json).ToJson());
    }

    [Fact]
    public void Metadata_Empty_IsEmptyObject()
    {
        Assert.Equal("{}", S3ObjectMetadata.Empty.ToJson());
        var back = S3ObjectMetadata.FromJson("{}");
        Assert.Null(back.ContentType);
        Assert.Empty(back.UserMetadata);
    }

    [Fact]
    public void Metadata_UnknownAndNullFields_ReadAsAbsent()
    {
        var back = S3ObjectMetadata.FromJson("{\"contentType\":\"a/b\",\"future\":{\"x\":[1]},\"cacheControl\":null}");

        Assert.Equal("{\"contentType\":\"a/b\"}", back.ToJson());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{\"contentType\":1}")]
    [InlineData("{\"userMetadata\":{\"k\":null}}")]
    [InlineData("{\"userMetadata\":[]}")]
    [InlineData("{")]
    public void Metadata_NotItsForm_JsonException(string json)
    {
        Assert.ThrowsAny<JsonException>(() => S3ObjectMetadata.FromJson(json));
    }

    [Fact]
    public void Tags_RoundTripInOrder()
    {
        var set = S3TagSet.FromHeader("z=1&a=&m%20n=%C3%A9");

        var json = set.ToJson();

        Assert.Equal("[{\"key\":\"z\",\"value\":\"1\"},{\"key\":\"a\",\"value\":\"\"},{\"key\":\"m n\",\"value\":\"\\u00E9\"}]", json);
        Assert.Equal(set, S3TagSet.FromJson(json));
    }

    [Fact]
    public void Tags_Empty()
    {
        Assert.Equal("[]", S3TagSet.Empty.ToJson());
        Assert.Same(S3TagSet.Empty, S3TagSet.FromJson("[]"));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[{\"key\":\"a\"}]")]
    [InlineData("[{\"value\":\"a\"}]")]
    [InlineData("[null]")]
    [InlineData("[{\"key\":1,\"value\":\"a\"}]")]
    public void Tags_NotItsForm_JsonException(string json)
    {
        Assert.ThrowsAny<JsonException>(() => S3TagSet.FromJson(json));
    }

    [Theory]
    [InlineData(S3ChecksumAlgorithm.Crc32, "AAAAAA==", S3ChecksumType.FullObject, "{\"algorithm\":\"CRC32\",\"value\":\"AAAAAA==\",\"type\":\"FULL_OBJECT\"}")]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme, "AAAAAAAAAAA=", S3ChecksumType.FullObject, "{\"algorithm\":\"CRC64NVME\",\"value\":\"AAAAAAAAAAA=\",\"type\":\"FULL_OBJECT\"}")]
    [InlineData(S3ChecksumAlgorithm.Sha256, "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=-3", S3ChecksumType.Composite, "{\"algorithm\":\"SHA256\",\"value\":\"n4bQgYhMfWWaL\\u002BqgxVrQFaO/TxsrC4Is0V1sFbDwCgg=-3\",\"type\":\"COMPOSITE\"}")]
    public void StoredChecksum_ExactFormAndRoundTrip(S3ChecksumAlgorithm algorithm, string value, S3ChecksumType type, string expected)
    {
        var stored = new S3StoredChecksum(new S3Checksum(algorithm, value), type);

        var json = stored.ToJson();

        Assert.Equal(expected, json);
        Assert.Equal(stored, S3StoredChecksum.FromJson(json));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"algorithm\":\"MD4\",\"value\":\"AAAAAA==\",\"type\":\"FULL_OBJECT\"}")]
    [InlineData("{\"algorithm\":\"CRC32\",\"value\":\"AAAAAA==\",\"type\":\"PARTIAL\"}")]
    [InlineData("{\"algorithm\":\"CRC32\",\"type\":\"COMPOSITE\"}")]
    [InlineData("{\"algorithm\":\"CRC32\",\"value\":\"\",\"type\":\"COMPOSITE\"}")]
    public void StoredChecksum_NotItsForm_JsonException(string json)
    {
        Assert.ThrowsAny<JsonException>(() => S3StoredChecksum.FromJson(json));
    }

    [Fact]
    public void AllThree_EmbedInAnotherSourceGeneratedContext()
    {
        var record = new StoredObjectRecord(
            _full,
            S3TagSet.FromHeader("a=1&b=2"),
            S3StoredChecksum.FullObject(S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Crc32C, "abc"u8)),
            null);

        var json = JsonSerializer.Serialize(record, EmbeddingContext.Default.StoredObjectRecord);
        var back = JsonSerializer.Deserialize(json, EmbeddingContext.Default.StoredObjectRecord)!;

        Assert.StartsWith("{\"Metadata\":{\"contentType\":", json, StringComparison.Ordinal);
        Assert.Contains("\"Tags\":[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"b\",\"value\":\"2\"}]", json, StringComparison.Ordinal);
        Assert.Contains("\"Missing\":null", json, StringComparison.Ordinal);
        AssertSame(_full, back.Metadata);
        Assert.Equal(record.Tags, back.Tags);
        Assert.Equal(record.Checksum, back.Checksum);
        Assert.Null(back.Missing);
    }

    internal static void AssertSame(S3ObjectMetadata expected, S3ObjectMetadata actual)
    {
        Assert.Equal(expected.ContentType, actual.ContentType);
        Assert.Equal(expected.ContentEncoding, actual.ContentEncoding);
        Assert.Equal(expected.ContentDisposition, actual.ContentDisposition);
        Assert.Equal(expected.ContentLanguage, actual.ContentLanguage);
        Assert.Equal(expected.CacheControl, actual.CacheControl);
        Assert.Equal(expected.Expires, actual.Expires);
        Assert.Equal(expected.UserMetadata.OrderBy(p => p.Key, StringComparer.Ordinal), actual.UserMetadata.OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
