using System.Text;
using Gateway.Core.Uploads;
using Gateway.S3.Errors;
using Gateway.S3.Xml.Documents;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Tests.Uploads;

public sealed class KeepAliveResponseTests
{
    private static (DefaultHttpContext Context, MemoryStream Body) NewContext()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        return (context, body);
    }

    private static readonly InitiateMultipartUploadResult _doc = new("b", "k", "id");

    [Fact]
    public async Task RunAsync_FastWork_PlainDocumentWithHeaders()
    {
        var (context, body) = NewContext();
        var keepAlive = new KeepAliveResponse(TimeSpan.FromSeconds(30), TimeProvider.System);
        await keepAlive.RunAsync(context, _ => Task.FromResult(new KeepAliveResult(_doc, new Dictionary<string, string> { ["x-amz-version-id"] = "v1" })));
        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal(200, context.Response.StatusCode);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult", text, StringComparison.Ordinal);
        Assert.Equal("v1", context.Response.Headers["x-amz-version-id"].ToString());
    }

    [Fact]
    public async Task RunAsync_FastFailure_Throws()
    {
        var (context, _) = NewContext();
        var keepAlive = new KeepAliveResponse(TimeSpan.FromSeconds(30), TimeProvider.System);
        var e = await Assert.ThrowsAsync<S3Exception>(() => keepAlive.RunAsync(context, _ => Task.FromException<KeepAliveResult>(new S3Exception(S3Errors.InvalidPart))));
        Assert.Equal("InvalidPart", e.Error.Code);
    }

    [Fact]
    public async Task RunAsync_SlowWork_DeclarationSpacesThenDocument()
    {
        var (context, body) = NewContext();
        var keepAlive = new KeepAliveResponse(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        var release = new TaskCompletionSource<KeepAliveResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = keepAlive.RunAsync(context, _ => release.Task);
        await PollAsync(() => body.Length > 45);
        release.SetResult(new KeepAliveResult(_doc));
        await run;

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal(200, context.Response.StatusCode);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n ", text, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(text, "<?xml"));
        Assert.EndsWith("<UploadId>id</UploadId></InitiateMultipartUploadResult>", text, StringComparison.Ordinal);
        Assert.NotNull(System.Xml.Linq.XDocument.Parse(text).Root);
    }

    [Fact]
    public async Task RunAsync_SlowFailure_ErrorDocumentInside200()
    {
        var (context, body) = NewContext();
        var keepAlive = new KeepAliveResponse(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        var release = new TaskCompletionSource<KeepAliveResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = keepAlive.RunAsync(context, _ => release.Task);
        await PollAsync(() => body.Length > 40);
        release.SetException(new S3Exception(S3Errors.EntityTooSmall));
        await run;

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal(200, context.Response.StatusCode);
        var root = System.Xml.Linq.XDocument.Parse(text).Root!;
        Assert.Equal("Error", root.Name.LocalName);
        Assert.Equal("EntityTooSmall", root.Element("Code")!.Value);
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
