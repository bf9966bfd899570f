using System.Text;
using System.Text.RegularExpressions;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Errors;

public sealed partial class S3ErrorResponderTests
{
    private static DefaultHttpContext NewContext(string method = "GET")
    {
        var ctx = new DefaultHttpContext();
        ctx.Request.Method = method;
        ctx.Response.Body = new MemoryStream();
        return ctx;
    }

    private static string Body(HttpContext ctx) => Encoding.UTF8.GetString(((MemoryStream)ctx.Response.Body).ToArray());

    [Fact]
    public async Task WriteAsync_S3Exception_AwsShapedXml()
    {
        var ctx = NewContext();
        var s3 = S3CommonHeaders.Apply(ctx, new S3ProtocolOptions());
        s3.Target = S3RequestTarget.Parse("/bucket/my%20key");
        var ex = new S3Exception(S3Errors.NoSuchKey) { Key = "my key" };

        var written = await S3ErrorResponder.WriteAsync(ctx, ex, new S3ProtocolOptions());

        Assert.True(written);
        Assert.Equal(404, ctx.Response.StatusCode);
        Assert.Equal("application/xml", ctx.Response.ContentType);
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>" +
            $"<Key>my key</Key><Resource>/bucket/my key</Resource><RequestId>{s3.RequestId}</RequestId><HostId>{s3.HostId}</HostId></Error>",
            Body(ctx));
        Assert.Equal(s3.RequestId, ctx.Response.Headers["x-amz-request-id"]);
    }

    [Fact]
    public async Task WriteAsync_Details_WrittenInOrderAfterMessage()
    {
        var ctx = NewContext();
        var ex = S3Exception.InvalidArgument("bad", "max-keys", "x");

        await S3ErrorResponder.WriteAsync(ctx, ex, new S3ProtocolOptions());

        Assert.Contains("<Message>bad</Message><ArgumentName>max-keys</ArgumentName><ArgumentValue>x</ArgumentValue><Resource>", Body(ctx), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_UnexpectedException_GenericInternalError()
    {
        var ctx = NewContext();

        await S3ErrorResponder.WriteAsync(ctx, new InvalidOperationException("secret internal detail"), new S3ProtocolOptions());

        Assert.Equal(500, ctx.Response.StatusCode);
        var body = Body(ctx);
        Assert.Contains("<Code>InternalError</Code>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_Head_StatusAndHeadersOnly()
    {
        var ctx = NewContext("HEAD");

        await S3ErrorResponder.WriteAsync(ctx, new S3Exception(S3Errors.NoSuchBucket), new S3ProtocolOptions());

        Assert.Equal(404, ctx.Response.StatusCode);
        Assert.Equal("", Body(ctx));
        Assert.False(string.IsNullOrEmpty(ctx.Response.Headers["x-amz-request-id"]));
    }

    [Theory]
    [InlineData(5L, null, "close")]
    [InlineData(null, "chunked", "close")]
    [InlineData(null, null, null)]
    [InlineData(0L, null, null)]
    public async Task WriteAsync_RequestWithBody_ClosesConnection(long? contentLength, string? transferEncoding, string? expected)
    {
        var ctx = NewContext("PUT");
        ctx.Request.ContentLength = contentLength;
        if (transferEncoding is not null)
        {
            ctx.Request.Headers.TransferEncoding = transferEncoding;
        }

        await S3ErrorResponder.WriteAsync(ctx, new S3Exception(S3Errors.InvalidArgument), new S3ProtocolOptions());

        Assert.Equal(expected, ctx.Response.Headers.Connection.FirstOrDefault());
    }

    [Fact]
    public async Task WriteAsync_NotModified_NoBody()
    {
        var ctx = NewContext();

        await S3ErrorResponder.WriteAsync(ctx, new S3Exception(S3Errors.NotModified), new S3ProtocolOptions());

        Assert.Equal(304, ctx.Response.StatusCode);
        Assert.Equal("", Body(ctx));
    }

    [Fact]
    public async Task WriteAsync_ClearsEarlierHeaders_KeepsRequestId()
    {
        var ctx = NewContext();
        var s3 = S3CommonHeaders.Apply(ctx, new S3ProtocolOptions());
        ctx.Response.Headers.ETag = "\"x\"";

        await S3ErrorResponder.WriteAsync(ctx, new S3Exception(S3Errors.AccessDenied), new S3ProtocolOptions());

        Assert.False(ctx.Response.Headers.ContainsKey("ETag"));
        Assert.Equal(s3.RequestId, ctx.Response.Headers["x-amz-request-id"]);
    }

    [Fact]
    public void Catalogue_KeyEntries_HaveAwsStatus()
    {
        var expected = new Dictionary<string, int>
        {
            ["AccessDenied"] = 403,
            ["AuthorizationHeaderMalformed"] = 400,
            ["BadDigest"] = 400,
            ["BucketAlreadyExists"] = 409,
            ["BucketAlreadyOwnedByYou"] = 409,
            ["BucketNotEmpty"] = 409,
            ["EntityTooLarge"] = 400,
            ["EntityTooSmall"] = 400,
            ["IncompleteBody"] = 400,
            ["InternalError"] = 500,
            ["InvalidAccessKeyId"] = 403,
            ["InvalidArgument"] = 400,
            ["InvalidBucketName"] = 400,
            ["InvalidDigest"] = 400,
            ["InvalidPart"] = 400,
            ["InvalidPartOrder"] = 400,
            ["InvalidRange"] = 416,
            ["InvalidRequest"] = 400,
            ["KeyTooLongError"] = 400,
            ["MalformedXML"] = 400,
            ["MethodNotAllowed"] = 405,
            ["MissingContentLength"] = 411,
            ["MissingSecurityHeader"] = 400,
            ["NoSuchBucket"] = 404,
            ["NoSuchKey"] = 404,
            ["NoSuchUpload"] = 404,
            ["NoSuchVersion"] = 404,
            ["NotImplemented"] = 501,
            ["PreconditionFailed"] = 412,
            ["NotModified"] = 304,
            ["RequestTimeTooSkewed"] = 403,
            ["SignatureDoesNotMatch"] = 403,
            ["XAmzContentSHA256Mismatch"] = 400,
            ["ServiceUnavailable"] = 503,
            ["SlowDown"] = 503,
            ["InvalidURI"] = 400,
        };

        foreach (var (code, status) in expected)
        {
            Assert.True(S3Errors.ByCode.TryGetValue(code, out var e), code);
            Assert.Equal(status, e!.StatusCode);
            Assert.False(string.IsNullOrWhiteSpace(e.DefaultMessage));
        }
    }

    [Fact]
    public void CommonHeaders_Apply_SetsAllFourHeaders()
    {
        var ctx = NewContext();

        var s3 = S3CommonHeaders.Apply(ctx, new S3ProtocolOptions());

        Assert.Matches(RequestIdPattern(), s3.RequestId);
        Assert.Equal(s3.HostId, ctx.Response.Headers["x-amz-id-2"]);
        Assert.Equal("PachydermS3Gateway", ctx.Response.Headers.Server);
        Assert.True(DateTimeOffset.TryParse(ctx.Response.Headers.Date, out _));
        Assert.Same(s3, S3CommonHeaders.Apply(ctx, new S3ProtocolOptions()));
    }

    [GeneratedRegex("^[0-9A-F]{16}$")]
    private static partial Regex RequestIdPattern();
}
