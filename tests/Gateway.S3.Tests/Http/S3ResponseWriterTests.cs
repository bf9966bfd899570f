using System.Text;
using System.Xml.Linq;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Xml.Documents;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Http;

public sealed class S3ResponseWriterTests
{
    private static readonly InitiateMultipartUploadResult _doc = new("b", "k", "id");

    private static S3ResponseWriter Writer(TimeSpan keepAlive) => new(new S3ProtocolOptions { KeepAliveInterval = keepAlive });

    private static (DefaultHttpContext Context, MemoryStream Body) NewContext()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        S3CommonHeaders.Apply(context, new S3ProtocolOptions());
        return (context, body);
    }

    private static S3Exception Unexpected(Exception e) => throw new InvalidOperationException("no error mapping expected", e);

    [Fact]
    public async Task WriteAsync_Document_StatusHeadersAndXml()
    {
        var (context, body) = NewContext();
        var response = S3Response.Xml(_doc).WithHeader("x-amz-version-id", "v1");

        await Writer(TimeSpan.FromSeconds(30)).WriteAsync(context, response, Unexpected);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("application/xml", context.Response.ContentType);
        Assert.Equal("v1", context.Response.Headers["x-amz-version-id"].ToString());
        var root = XDocument.Parse(Encoding.UTF8.GetString(body.ToArray())).Root!;
        Assert.Equal("InitiateMultipartUploadResult", root.Name.LocalName);
        Assert.Equal("id", root.Elements().Single(e => e.Name.LocalName == "UploadId").Value);
    }

    [Theory]
    [InlineData("100-continue", 0L, true)]
    [InlineData("100-continue", 5L, false)]
    [InlineData(null, 0L, false)]
    public async Task WriteAsync_EmptyBodyThatExpectedContinue_ClosesTheConnection(string? expect, long length, bool close)
    {
        var (context, _) = NewContext();
        context.Request.ContentLength = length;
        if (expect is not null)
        {
            context.Request.Headers.Expect = expect;
        }

        await Writer(TimeSpan.FromSeconds(30)).WriteAsync(context, S3Response.Status(200), Unexpected);

        Assert.Equal(close ? "close" : string.Empty, context.Response.Headers.Connection.ToString());
    }

    [Fact]
    public async Task WriteAsync_ObjectContent_ExactlyTheLengthCopied()
    {
        var (context, body) = NewContext();
        var data = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();
        await using var response = S3Response.Object(206, 200_001, new MemoryStream(data));

        await Writer(TimeSpan.FromSeconds(30)).WriteAsync(context, response, Unexpected);

        Assert.Equal(206, context.Response.StatusCode);
        Assert.Equal(200_001, context.Response.ContentLength);
        Assert.Equal(data[..200_001], body.ToArray());
    }

    [Fact]
    public async Task WriteAsync_ContentShorterThanPromised_Throws()
    {
        var (context, _) = NewContext();
        await using var response = S3Response.Object(200, 10, new MemoryStream(new byte[4]));

        await Assert.ThrowsAsync<IOException>(() => Writer(TimeSpan.FromSeconds(30)).WriteAsync(context, response, Unexpected));
    }

    [Fact]
    public async Task WriteAsync_HeadersOnly_LengthWithoutBody()
    {
        var (context, body) = NewContext();

        await Writer(TimeSpan.FromSeconds(30)).WriteAsync(context, S3Response.Object(200, 1L << 40, null), Unexpected);

        Assert.Equal(1L << 40, context.Response.ContentLength);
        Assert.Equal(0, body.Length);
    }

    [Fact]
    public async Task WriteAsync_FastDeferredWork_PlainDocumentWithHeaders()
    {
        var (context, body) = NewContext();
        var response = S3Response.KeepAlive(_ => Task.FromResult(S3Response.Xml(_doc).WithHeader("x-amz-version-id", "v1")));

        await Writer(TimeSpan.FromSeconds(30)).WriteAsync(context, response, Unexpected);

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal(200, context.Response.StatusCode);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult", text, StringComparison.Ordinal);
        Assert.Equal("v1", context.Response.Headers["x-amz-version-id"].ToString());
    }

    [Fact]
    public async Task WriteAsync_FastDeferredFailure_ThrowsForTheCallersErrorHandling()
    {
        var (context, _) = NewContext();
        var response = S3Response.KeepAlive(_ => Task.FromException<S3Response>(new S3Exception(S3Errors.InvalidPart)));

        var e = await Assert.ThrowsAsync<S3Exception>(() => Writer(TimeSpan.FromSeconds(30)).WriteAsync(context, response, Unexpected));

        Assert.Equal("InvalidPart", e.Error.Code);
        Assert.False(context.Response.HasStarted);
    }

    [Fact]
    public async Task WriteAsync_SlowDeferredWork_DeclarationSpacesThenDocument()
    {
        var (context, body) = NewContext();
        var release = new TaskCompletionSource<S3Response>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Writer(TimeSpan.FromMilliseconds(20)).WriteAsync(context, S3Response.KeepAlive(_ => release.Task), Unexpected);
        await PollAsync(() => body.Length > 45);
        release.SetResult(S3Response.Xml(_doc));
        await run;

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal(200, context.Response.StatusCode);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n ", text, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(text, "<?xml"));
        var root = XDocument.Parse(text).Root!;
        Assert.Equal("InitiateMultipartUploadResult", root.Name.LocalName);
        Assert.Equal("id", root.Elements().Single(e => e.Name.LocalName == "UploadId").Value);
    }

    [Fact]
    public async Task WriteAsync_SlowDeferredFailure_MappedErrorDocumentInside200WithRequestId()
    {
        var (context, body) = NewContext();
        var release = new TaskCompletionSource<S3Response>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Writer(TimeSpan.FromMilliseconds(20)).WriteAsync(context, S3Response.KeepAlive(_ => release.Task),
            e => e is TimeoutException ? new S3Exception(S3Errors.EntityTooSmall) { Key = "a&b" } : throw e);
        await PollAsync(() => body.Length > 40);
        release.SetException(new TimeoutException("internal detail"));
        await run;

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal(200, context.Response.StatusCode);
        Assert.DoesNotContain("internal detail", text, StringComparison.Ordinal);
        var root = XDocument.Parse(text).Root!;
        Assert.Equal("Error", root.Name.LocalName);
        Assert.Equal("EntityTooSmall", root.Element("Code")!.Value);
        Assert.Equal("a&b", root.Element("Key")!.Value);
        Assert.Equal(context.Response.Headers["x-amz-request-id"].ToString(), root.Element("RequestId")!.Value);
    }

    [Fact]
    public async Task WriteAsync_SlowAndFastErrors_SerialiseKeysIdentically()
    {
        var error = new S3Exception(S3Errors.InvalidPart) { Key = "line\r\nbreak\u0001&<>" };
        var (fast, fastBody) = NewContext();
        Assert.True(await Writer(TimeSpan.FromSeconds(30)).WriteErrorAsync(fast, error));

        var (slow, slowBody) = NewContext();
        var release = new TaskCompletionSource<S3Response>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Writer(TimeSpan.FromMilliseconds(20)).WriteAsync(slow, S3Response.KeepAlive(_ => release.Task), _ => error);
        await PollAsync(() => slowBody.Length > 40);
        release.SetException(error);
        await run;

        Assert.Equal(KeyElement(fastBody), KeyElement(slowBody));
        Assert.Contains("line&#xD;\nbreak\uFFFD&amp;", KeyElement(fastBody), StringComparison.Ordinal);
    }

    private static string KeyElement(MemoryStream body)
    {
        var text = Encoding.UTF8.GetString(body.ToArray());
        var start = text.IndexOf("<Key>", StringComparison.Ordinal);
        return text[start..(text.IndexOf("</Key>", start, StringComparison.Ordinal) + 6)];
    }

    private static int CountOf(string text, string what) =>
        (text.Length - text.Replace(what, string.Empty, StringComparison.Ordinal).Length) / what.Length;

    private static async Task PollAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(10);
        }
    }
}
