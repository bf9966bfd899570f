using System.Text;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Http;

public sealed class HttpHelpersTests
{
    [Theory]
    [InlineData("abc", "\"abc\"")]
    [InlineData("\"abc\"", "\"abc\"")]
    [InlineData("W/\"abc\"", "W/\"abc\"")]
    public void Quote(string input, string expected) => Assert.Equal(expected, ETags.Quote(input));

    [Theory]
    [InlineData("\"abc\"", "abc")]
    [InlineData("abc", "abc")]
    [InlineData("W/\"abc\"", "abc")]
    [InlineData(" \"abc-3\" ", "abc-3")]
    public void Unquote(string input, string expected) => Assert.Equal(expected, ETags.Unquote(input));

    [Theory]
    [InlineData(null, 1000)]
    [InlineData("0", 0)]
    [InlineData("5", 5)]
    [InlineData("1000", 1000)]
    [InlineData("5000", 1000)]
    [InlineData("99999999999", 1000)]
    public void ParseMaxKeys_Valid(string? value, int expected) => Assert.Equal(expected, S3ListParameters.ParseMaxKeys(value));

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1.5")]
    public void ParseMaxKeys_Invalid_InvalidArgument(string value)
    {
        var ex = Assert.Throws<S3Exception>(() => S3ListParameters.ParseMaxKeys(value));

        Assert.Same(S3Errors.InvalidArgument, ex.Error);
        Assert.Contains(ex.Details, d => d.Key == "ArgumentName" && d.Value == "max-keys");
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("10000", 10000)]
    public void ParsePartNumber_Valid(string value, int expected) => Assert.Equal(expected, S3ListParameters.ParsePartNumber(value));

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("10001")]
    [InlineData("x")]
    [InlineData("-1")]
    public void ParsePartNumber_Invalid(string? value) => Assert.Throws<S3Exception>(() => S3ListParameters.ParsePartNumber(value));

    [Fact]
    public void ParseEncodingType_OnlyUrl()
    {
        Assert.Null(S3ListParameters.ParseEncodingType(null));
        Assert.Equal("url", S3ListParameters.ParseEncodingType("URL"));
        Assert.Throws<S3Exception>(() => S3ListParameters.ParseEncodingType("base64"));
    }

    [Fact]
    public void ResponseOverrides_AllSixApplied()
    {
        var q = S3Query.Parse("response-content-type=text%2Fplain&response-content-language=de&response-expires=Thu%2C%2001%20Dec%201994%2016%3A00%3A00%20GMT" +
                              "&response-cache-control=no-cache&response-content-disposition=attachment%3B%20filename%3D%22a.txt%22&response-content-encoding=gzip&other=1");
        var ctx = new DefaultHttpContext();
        ctx.Response.ContentType = "application/octet-stream";

        S3ResponseOverrides.Apply(ctx.Response, q);

        Assert.Equal("text/plain", ctx.Response.ContentType);
        Assert.Equal("de", ctx.Response.Headers.ContentLanguage);
        Assert.Equal("Thu, 01 Dec 1994 16:00:00 GMT", ctx.Response.Headers.Expires);
        Assert.Equal("no-cache", ctx.Response.Headers.CacheControl);
        Assert.Equal("attachment; filename=\"a.txt\"", ctx.Response.Headers.ContentDisposition);
        Assert.Equal("gzip", ctx.Response.Headers.ContentEncoding);
        Assert.Equal(6, S3ResponseOverrides.From(q).Count);
    }

    [Theory]
    [InlineData("response-content-type=a%00b", "response-content-type")]
    [InlineData("response-expires=%0A", "response-expires")]
    [InlineData("response-content-language=en%7F", "response-content-language")]
    public void ResponseOverrides_ControlCharacter_InvalidArgument(string query, string parameter)
    {
        var e = Assert.Throws<S3Exception>(() => S3ResponseOverrides.From(S3Query.Parse(query)));

        Assert.Equal("InvalidArgument", e.Error.Code);
        Assert.Contains(e.Details, d => d.Key == "ArgumentName" && d.Value == parameter);
    }

    [Fact]
    public void ResponseOverrides_NonAscii_Rfc2047EncodedWord()
    {
        var q = S3Query.Parse("response-content-disposition=" + Uri.EscapeDataString("inline; filename=\"\u65e5\u672c.txt\""));

        var (header, value) = Assert.Single(S3ResponseOverrides.From(q));

        Assert.Equal("Content-Disposition", header);
        Assert.Equal("inline; filename=\"\u65e5\u672c.txt\"", DecodeWord(value));
    }

    private static string DecodeWord(string word)
    {
        Assert.StartsWith("=?UTF-8?B?", word, StringComparison.Ordinal);
        Assert.EndsWith("?=", word, StringComparison.Ordinal);
        return Encoding.UTF8.GetString(Convert.FromBase64String(word[10..^2]));
    }

    /// <summary>Only the first '?' starts the query: a parameter named "?versionId" is no version id.</summary>
    [Fact]
    public void CopySource_QueryStartingWithQuestionMark_NoVersionId()
    {
        var source = S3CopySource.Parse("b/k??versionId=v1");

        Assert.Equal(("b", "k", (string?)null), (source.Bucket, source.Key, source.VersionId));
    }

    [Fact]
    public void UserMetadata_ExtractedLowerCasedWithoutPrefix()
    {
        var h = new HeaderDictionary { ["X-Amz-Meta-Color"] = "blue", ["x-amz-meta-a"] = "1", ["x-amz-date"] = "x", ["Content-Type"] = "t" };

        var m = S3UserMetadata.FromHeaders(h);

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["color"] = "blue" }, m);
    }

    [Fact]
    public void UserMetadata_Over2KB_MetadataTooLarge()
    {
        var h = new HeaderDictionary { ["x-amz-meta-big"] = new string('x', 2100) };

        Assert.Same(S3Errors.MetadataTooLarge, Assert.Throws<S3Exception>(() => S3UserMetadata.FromHeaders(h)).Error);
    }

    [Theory]
    [InlineData("/bucket/key", "bucket", "key", null)]
    [InlineData("bucket/dir/key", "bucket", "dir/key", null)]
    [InlineData("master.data%2Fdir%2Ffile", "master.data", "dir/file", null)]
    [InlineData("/b/a%20b%2Bc?versionId=v1", "b", "a b+c", "v1")]
    [InlineData("b%2Fk%3FversionId%3Dv2", "b", "k", "v2")]
    [InlineData("/b/a%252Fb", "b", "a%2Fb", null)]
    public void CopySource_Parse(string header, string bucket, string key, string? versionId)
    {
        Assert.Equal(new S3CopySource(bucket, key, versionId), S3CopySource.Parse(header));
    }

    [Theory]
    [InlineData("bucket")]
    [InlineData("/bucket/")]
    [InlineData("/")]
    [InlineData("")]
    public void CopySource_Invalid_InvalidArgument(string header)
    {
        Assert.Same(S3Errors.InvalidArgument, Assert.Throws<S3Exception>(() => S3CopySource.Parse(header)).Error);
    }

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sun Nov  6 08:49:37 1994")]
    [InlineData("19941106T084937Z")]
    public void HttpDates_ParseAllFormats(string value)
    {
        Assert.True(HttpDates.TryParse(value, out var d));
        Assert.Equal(new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero), d);
        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.Format(d));
    }
}
