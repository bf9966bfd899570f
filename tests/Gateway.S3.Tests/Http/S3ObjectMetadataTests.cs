using Gateway.S3.Body;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Http;

public sealed class S3ObjectMetadataTests
{
    private static HttpRequest Request(params (string Name, string Value)[] headers)
    {
        var ctx = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            ctx.Request.Headers.Append(name, value);
        }

        return ctx.Request;
    }

    [Fact]
    public void FromRequest_ReadsEveryStoredHeader()
    {
        var m = S3ObjectMetadata.FromRequest(Request(
            ("Content-Type", "text/csv"),
            ("Content-Encoding", "aws-chunked,gzip"),
            ("Content-Disposition", "inline"),
            ("Content-Language", "fr"),
            ("Cache-Control", "no-cache"),
            ("Expires", "Thu, 01 Dec 1994 16:00:00 GMT"),
            ("X-Amz-Meta-Color", "blue"),
            ("x-amz-meta-a", "1"),
            ("x-amz-date", "20240101T000000Z"),
            ("Content-Length", "5")));

        Assert.Equal("text/csv", m.ContentType);
        Assert.Equal("gzip", m.ContentEncoding);
        Assert.Equal("inline", m.ContentDisposition);
        Assert.Equal("fr", m.ContentLanguage);
        Assert.Equal("no-cache", m.CacheControl);
        Assert.Equal("Thu, 01 Dec 1994 16:00:00 GMT", m.Expires);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["color"] = "blue" }, m.UserMetadata);
    }

    [Fact]
    public void FromRequest_Nothing_AllAbsent()
    {
        var m = S3ObjectMetadata.FromRequest(Request(("Content-Type", ""), ("Cache-Control", "")));

        Assert.Equal("{}", m.ToJson());
    }

    [Fact]
    public void FromRequest_ExpiresKeptVerbatim()
    {
        Assert.Equal("tomorrow-ish", S3ObjectMetadata.FromRequest(Request(("Expires", "tomorrow-ish"))).Expires);
    }

    [Fact]
    public void FromRequest_Metadata2KB_Accepted()
    {
        // Name and value bytes count: "k" + 2047 = 2048, the limit.
        Assert.Single(S3ObjectMetadata.FromRequest(Request(("x-amz-meta-k", new string('v', 2047)))).UserMetadata);
    }

    [Fact]
    public void FromRequest_MetadataOver2KB_MetadataTooLarge()
    {
        var ex = Assert.Throws<S3Exception>(() => S3ObjectMetadata.FromRequest(Request(("x-amz-meta-k", new string('v', 2048)))));

        Assert.Same(S3Errors.MetadataTooLarge, ex.Error);
        Assert.Equal(400, ex.Error.StatusCode);
        Assert.Equal([new("Size", "2049"), new("MaxSizeAllowed", "2048")], ex.Details);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("aws-chunked", null)]
    [InlineData("AWS-CHUNKED", null)]
    [InlineData("aws-chunked, gzip", "gzip")]
    [InlineData("gzip,aws-chunked", "gzip")]
    [InlineData("gzip, br", "gzip,br")]
    [InlineData("identity", "identity")]
    public void StoredContentEncoding_DropsAwsChunked(string? header, string? expected)
    {
        Assert.Equal(expected, S3ObjectMetadata.StoredContentEncoding(header));
        if (header is not null)
        {
            Assert.Equal(expected, S3ObjectMetadata.FromRequest(Request(("Content-Encoding", header))).ContentEncoding);
        }
    }

    [Fact]
    public void ApplyTo_WritesSetValuesOnly()
    {
        IHeaderDictionary headers = new HeaderDictionary();

        new S3ObjectMetadata
        {
            ContentType = "image/png",
            CacheControl = "max-age=1",
            UserMetadata = new Dictionary<string, string> { ["color"] = "blue", ["empty"] = "" },
        }.ApplyTo(headers);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Content-Type"] = "image/png",
                ["Cache-Control"] = "max-age=1",
                ["x-amz-meta-color"] = "blue",
                ["x-amz-meta-empty"] = "",
            },
            headers.ToDictionary(h => h.Key, h => h.Value.ToString()));
    }

    [Fact]
    public void ApplyTo_AllSixStandardHeaders()
    {
        IHeaderDictionary headers = new HeaderDictionary();
        var m = S3ObjectMetadata.FromRequest(Request(
            ("Content-Type", "a/b"), ("Content-Encoding", "gzip"), ("Content-Disposition", "inline"),
            ("Content-Language", "en"), ("Cache-Control", "private"), ("Expires", "0")));

        m.ApplyTo(headers);

        Assert.Equal(["Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Type", "Expires"], headers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("0", headers.Expires);
    }

    [Fact]
    public void ApplyTo_NonAscii_Rfc2047EncodedWordOfUtf8()
    {
        IHeaderDictionary headers = new HeaderDictionary();

        new S3ObjectMetadata
        {
            ContentDisposition = "attachment; filename=\"ä.txt\"",
            UserMetadata = new Dictionary<string, string> { ["nonascii"] = "ÄMÄZÕÑ S3", ["ascii"] = "AMAZONS3" },
        }.ApplyTo(headers);

        Assert.Equal("=?UTF-8?B?w4RNw4Raw5XDkSBTMw==?=", headers["x-amz-meta-nonascii"]);
        Assert.Equal("AMAZONS3", headers["x-amz-meta-ascii"]);
        Assert.Equal("=?UTF-8?B?YXR0YWNobWVudDsgZmlsZW5hbWU9IsOkLnR4dCI=?=", headers.ContentDisposition);
        Assert.False(headers.ContainsKey("x-amz-missing-meta"));
    }

    [Fact]
    public void ApplyTo_ControlCharacters_LeftOutAndCounted()
    {
        IHeaderDictionary headers = new HeaderDictionary();

        new S3ObjectMetadata
        {
            ContentLanguage = "en\r\nX-Injected: 1",
            UserMetadata = new Dictionary<string, string> { ["bell"] = "a\u0007", ["del"] = "\u007F", ["tab"] = "a\tb" },
        }.ApplyTo(headers);

        Assert.False(headers.ContainsKey("Content-Language"));
        Assert.False(headers.ContainsKey("x-amz-meta-bell"));
        Assert.Equal("a\tb", headers["x-amz-meta-tab"]);
        Assert.Equal("2", headers["x-amz-missing-meta"]);
    }

    [Fact]
    public void ApplyTo_ThenResponseOverridesWin()
    {
        var ctx = new DefaultHttpContext();
        new S3ObjectMetadata { ContentType = "a/b", ContentLanguage = "en" }.ApplyTo(ctx.Response.Headers);

        S3ResponseOverrides.Apply(ctx.Response, Gateway.S3.Routing.S3Query.Parse("response-content-type=text%2Fplain"));

        Assert.Equal("text/plain", ctx.Response.ContentType);
        Assert.Equal("en", ctx.Response.Headers.ContentLanguage);
    }
}
