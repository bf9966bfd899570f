using Gateway.S3.Errors;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.S3.Tests.Routing;

public sealed class S3RequestTargetTests
{
    [Theory]
    [InlineData("/", null, null)]
    [InlineData("/b", "b", null)]
    [InlineData("/b/", "b", null)]
    [InlineData("/b/k", "b", "k")]
    [InlineData("/b/a//b", "b", "a//b")]
    [InlineData("/b/a%2Fb", "b", "a/b")]
    [InlineData("/b/a%252Fb", "b", "a%2Fb")]
    [InlineData("/b/a%20b", "b", "a b")]
    [InlineData("/b/a+b", "b", "a+b")]
    [InlineData("/b/a%2Bb", "b", "a+b")]
    [InlineData("/b/%E2%9C%93", "b", "✓")]
    [InlineData("/b/%e2%9c%93", "b", "✓")]
    [InlineData("/b/dir/", "b", "dir/")]
    [InlineData("/b/./x/../y", "b", "./x/../y")]
    [InlineData("/b/%2e%2e/z", "b", "../z")]
    [InlineData("/b/%41", "b", "A")]
    [InlineData("/b/100%", "b", "100%")]
    [InlineData("/b/%25", "b", "%")]
    [InlineData("/b//lead", "b", "/lead")]
    [InlineData("/b/k?uploads", "b", "k")]
    [InlineData("/b/a%3Fb?x=1", "b", "a?b")]
    public void Parse_PathStyle_BucketAndKeyDecodedOnce(string raw, string? bucket, string? key)
    {
        var t = S3RequestTarget.Parse(raw);

        Assert.Equal(bucket, t.Bucket);
        Assert.Equal(key, t.Key);
        Assert.False(t.IsVirtualHostedStyle);
    }

    [Fact]
    public void Parse_RawPathAndQuery_KeptForSigning()
    {
        var t = S3RequestTarget.Parse("/b/a%2Fb?list-type=2&prefix=a%2Fb&delimiter=%2F&uploads");

        Assert.Equal("/b/a%2Fb", t.RawPath);
        Assert.Equal("list-type=2&prefix=a%2Fb&delimiter=%2F&uploads", t.RawQuery);
        Assert.Equal("a/b", t.Query.Get("prefix"));
        Assert.Equal("/", t.Query.Get("delimiter"));
        Assert.True(t.Query.Contains("uploads"));
        Assert.False(t.Query.Single(p => p.Name == "uploads").HasValue);
        Assert.Equal("", t.Query.Get("uploads"));
        Assert.Null(t.Query.Get("marker"));
    }

    [Fact]
    public void Parse_QueryStartingWithQuestionMark_KeptWhole()
    {
        // RFC 3986 allows '?' in a query: only the first '?' of the target starts it, the second belongs to the query.
        var t = S3RequestTarget.Parse("/b/k??x=1&y");

        Assert.Equal("/b/k", t.RawPath);
        Assert.Equal("?x=1&y", t.RawQuery);
        Assert.Equal(("?x", "1", true), (t.Query[0].Name, t.Query[0].Value, t.Query[0].HasValue));
        Assert.False(t.Query.Contains("x"));
    }

    [Theory]
    [InlineData("bucket.s3.local", "/", "bucket", null)]
    [InlineData("bucket.s3.local:30600", "/a/b//c", "bucket", "a/b//c")]
    [InlineData("my.dotted.bucket.S3.LOCAL", "/k%2Fx", "my.dotted.bucket", "k/x")]
    [InlineData("s3.local", "/bucket/key", "bucket", "key")]
    [InlineData("localhost:30600", "/bucket/key", "bucket", "key")]
    [InlineData("xs3.local", "/bucket/key", "bucket", "key")]
    public void Parse_VirtualHostStyle_BucketFromHost(string host, string raw, string bucket, string? key)
    {
        var t = S3RequestTarget.Parse(raw, host, "s3.local");

        Assert.Equal(bucket, t.Bucket);
        Assert.Equal(key, t.Key);
    }

    [Fact]
    public void Parse_AbsoluteForm_PathExtracted()
    {
        var t = S3RequestTarget.Parse("http://host:1/b/k?x=1");

        Assert.Equal("b", t.Bucket);
        Assert.Equal("k", t.Key);
        Assert.Equal("/b/k", t.RawPath);
        Assert.Equal("1", t.Query.Get("x"));
    }

    [Theory]
    [InlineData("/b/%FF")]
    [InlineData("/b/%C3%28")]
    public void Parse_InvalidUtf8_InvalidUri(string raw)
    {
        var ex = Assert.Throws<S3Exception>(() => S3RequestTarget.Parse(raw));

        Assert.Same(S3Errors.InvalidUri, ex.Error);
    }

    [Fact]
    public void Parse_EmptyBucketSegment_InvalidBucketName()
    {
        var ex = Assert.Throws<S3Exception>(() => S3RequestTarget.Parse("//key"));

        Assert.Same(S3Errors.InvalidBucketName, ex.Error);
    }

    [Fact]
    public void FromHttpContext_RawTargetPresent_UsesRawTarget()
    {
        var ctx = new DefaultHttpContext();
        ctx.Request.Path = "/b/a/b";
        ctx.Features.Get<IHttpRequestFeature>()!.RawTarget = "/b/a%252Fb?versionId=x%2By";

        var t = S3RequestTarget.FromHttpContext(ctx, new S3ProtocolOptions());

        Assert.Equal("a%2Fb", t.Key);
        Assert.Equal("x+y", t.Query.Get("versionId"));
    }

    [Theory]
    [InlineData("/b/a%252Fb?versionId=v", "/b/a%2Fb", "b", "a/b")]
    [InlineData("/b/x%252fy%252Fz", "/b/x%2Fy%2Fz", "b", "x/y/z")]
    [InlineData("/b/%252F", "/b/%2F", "b", "/")]
    [InlineData("/b%252Fc/k", "/b%2Fc/k", "b/c", "k")]
    public void WithEncodedSlashes_TwiceEncodedSlashesReadAsSlashes(string raw, string rawPath, string bucket, string key)
    {
        var literal = S3RequestTarget.Parse(raw);

        var slashes = literal.WithEncodedSlashes();

        Assert.NotNull(slashes);
        Assert.Equal(rawPath, slashes.RawPath);
        Assert.Equal(bucket, slashes.Bucket);
        Assert.Equal(key, slashes.Key);
        Assert.Equal(literal.RawQuery, slashes.RawQuery);
        Assert.NotEqual((literal.Bucket, literal.Key), (slashes.Bucket, slashes.Key));
    }

    [Theory]
    [InlineData("/b/a%2Fb")]
    [InlineData("/b/a%25b")]
    [InlineData("/b/a%25252Fb")]
    [InlineData("/b/plain/key?prefix=%252F")]
    public void WithEncodedSlashes_NothingTwiceEncoded_Null(string raw) =>
        Assert.Null(S3RequestTarget.Parse(raw).WithEncodedSlashes());

    [Fact]
    public void WithEncodedSlashes_VirtualHosted_KeepsTheHostBucket()
    {
        var slashes = S3RequestTarget.Parse("/a%252Fb", "bkt.s3.local", "s3.local").WithEncodedSlashes();

        Assert.NotNull(slashes);
        Assert.True(slashes.IsVirtualHostedStyle);
        Assert.Equal("bkt", slashes.Bucket);
        Assert.Equal("a/b", slashes.Key);
    }

    [Fact]
    public void FromHttpContext_RawTargetEmpty_FallsBackToPathAndQuery()
    {
        var ctx = new DefaultHttpContext();
        ctx.Features.Get<IHttpRequestFeature>()!.RawTarget = "";
        ctx.Request.Path = "/b/a b";
        ctx.Request.QueryString = new QueryString("?prefix=x%2Fy");

        var t = S3RequestTarget.FromHttpContext(ctx, new S3ProtocolOptions());

        Assert.Equal("b", t.Bucket);
        Assert.Equal("a b", t.Key);
        Assert.Equal("/b/a%20b", t.RawPath);
        Assert.Equal("x/y", t.Query.Get("prefix"));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("?", 0)]
    [InlineData("a=1&&b", 2)]
    [InlineData("a=1&a=2", 2)]
    public void QueryParse_Counts(string raw, int count)
    {
        Assert.Equal(count, S3Query.Parse(raw).Count);
    }

    [Fact]
    public void QueryParse_DuplicateName_FirstWins()
    {
        var q = S3Query.Parse("a=1&a=2&b=%3D%26");

        Assert.Equal("1", q.Get("a"));
        Assert.Equal("=&", q.Get("b"));
    }
}
