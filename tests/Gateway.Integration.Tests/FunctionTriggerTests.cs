extern alias functions;

using System.Text;
using Gateway.Core;
using Gateway.Integration.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using S3Functions = functions::Gateway.Functions.Functions.S3Functions;

namespace Gateway.Integration.Tests;

/// <summary>The Functions-mode triggers called directly (the host cannot run here): they hand requests to the same handler.</summary>
[Collection(AuthOffCollection.Name)]
public sealed class FunctionTriggerTests(AuthOffFixture fx)
{
    [Fact]
    public async Task Triggers_BucketAndKeyFromRawTarget_NotRouteValues()
    {
        var functions = new S3Functions(fx.Services.GetRequiredService<GatewayHandler>());
        var repo = GatewayFixture.NewName("fn");

        var created = await SendAsync(functions.Buckets, "PUT", "/" + repo);
        Assert.Equal(200, created.Status);

        // The route would say key "x", the raw target says "a%2Fb" → key "a/b".
        var put = await SendAsync(functions.ObjectWrites, "PUT", $"/{repo}/a%2Fb", "via function", route: ("key", "x"));
        Assert.Equal(200, put.Status);

        var get = await SendAsync(functions.ObjectReads, "GET", $"/{repo}/a/b");
        Assert.Equal(200, get.Status);
        Assert.Equal("via function", get.Body);

        var list = await SendAsync(functions.Service, "GET", "/");
        Assert.Contains("master." + repo, list.Body, StringComparison.Ordinal);

        var post = await SendAsync(functions.Uploads, "POST", $"/{repo}/k?uploads");
        Assert.Equal(200, post.Status);
        Assert.Contains("<InitiateMultipartUploadResult", post.Body, StringComparison.Ordinal);
    }

    private async Task<(int Status, string Body)> SendAsync(Func<HttpRequest, Task> trigger, string method, string rawTarget, string body = "", (string Name, string Value)? route = null)
    {
        var context = new DefaultHttpContext { RequestServices = fx.Services };
        context.Request.Method = method;
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = q < 0 ? rawTarget : rawTarget[..q];
        context.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(rawTarget[q..]);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        context.Request.Headers.Host = "localhost";
        if (route is { } r)
        {
            context.Request.RouteValues[r.Name] = r.Value;
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        using var output = new MemoryStream();
        context.Response.Body = output;
        await trigger(context.Request);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(output.ToArray()));
    }
}
