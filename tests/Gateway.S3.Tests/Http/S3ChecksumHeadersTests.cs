using Gateway.S3.Checksums;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Http;

public sealed class S3ChecksumHeadersTests
{
    private static readonly S3StoredChecksum _crc = S3StoredChecksum.FullObject(S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Crc32, "123456789"u8));

    [Theory]
    [InlineData("ENABLED", true)]
    [InlineData("enabled", true)]
    [InlineData(" ENABLED ", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("DISABLED", false)]
    [InlineData("true", false)]
    public void IsModeEnabled(string? mode, bool expected)
    {
        var headers = new HeaderDictionary();
        if (mode is not null)
        {
            headers["x-amz-checksum-mode"] = mode;
        }

        Assert.Equal(expected, S3ChecksumHeaders.IsModeEnabled(headers));
    }

    [Fact]
    public void Apply_FullObject_ValueAndType()
    {
        var headers = new HeaderDictionary();

        S3ChecksumHeaders.Apply(headers, _crc);

        Assert.Equal("y/Q5Jg==", headers["x-amz-checksum-crc32"]);
        Assert.Equal("FULL_OBJECT", headers["x-amz-checksum-type"]);
        Assert.Equal(2, headers.Count);
    }

    [Fact]
    public void Apply_Composite_ValueWithPartCount()
    {
        var parts = new[] { "a"u8.ToArray(), "b"u8.ToArray(), "c"u8.ToArray() }.Select(p => S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Sha256, p)).ToArray();
        var stored = S3StoredChecksum.Composite(S3ChecksumAlgorithm.Sha256, parts);
        var headers = new HeaderDictionary();

        S3ChecksumHeaders.Apply(headers, stored);

        Assert.Equal(S3ChecksumCombiner.Composite(S3ChecksumAlgorithm.Sha256, parts), headers["x-amz-checksum-sha256"]);
        Assert.EndsWith("-3", headers["x-amz-checksum-sha256"].ToString(), StringComparison.Ordinal);
        Assert.Equal("COMPOSITE", headers["x-amz-checksum-type"]);
    }

    [Theory]
    [InlineData("ENABLED", true, true)]
    [InlineData(null, true, false)]
    [InlineData("ENABLED", false, false)]
    public void ApplyIfRequested(string? mode, bool stored, bool written)
    {
        var ctx = new DefaultHttpContext();
        if (mode is not null)
        {
            ctx.Request.Headers["x-amz-checksum-mode"] = mode;
        }

        var result = S3ChecksumHeaders.ApplyIfRequested(ctx.Request, ctx.Response.Headers, stored ? _crc : null);

        Assert.Equal(written, result);
        Assert.Equal(written, ctx.Response.Headers.ContainsKey("x-amz-checksum-crc32"));
        Assert.Equal(written, ctx.Response.Headers.ContainsKey("x-amz-checksum-type"));
    }

    [Theory]
    [InlineData(S3ChecksumType.FullObject, "FULL_OBJECT")]
    [InlineData(S3ChecksumType.Composite, "COMPOSITE")]
    public void ChecksumTypes_WireNames(S3ChecksumType type, string name)
    {
        Assert.Equal(name, S3ChecksumTypes.WireName(type));
        Assert.True(S3ChecksumTypes.TryParse(name.ToLowerInvariant(), out var parsed));
        Assert.Equal(type, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("FULL")]
    public void ChecksumTypes_Unknown(string? name)
    {
        Assert.False(S3ChecksumTypes.TryParse(name, out _));
    }
}
