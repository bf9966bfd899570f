extern alias functions;

using System.Text;
using Gateway.Core.Hosting;
using Gateway.Pachyderm;
using Gateway.S3;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using HealthEndpoints = functions::Gateway.Functions.Hosting.HealthEndpoints;

namespace Gateway.Integration.Tests.Health;

/// <summary>The health middleware of the standalone host on its own: which requests it answers, and how.</summary>
[Trait("Host", "Standalone")]
public sealed class HealthEndpointsTests : IDisposable
{
    private readonly FakeLifetime _lifetime = new();
    private readonly PachClient _unreachable = PachClient.Create("grpc://127.0.0.1:1");
    private bool _passedOn;

    [Theory]
    [InlineData("GET", "/~/live", 200, "ok\n")]
    [InlineData("GET", "/~/live?probe=1", 200, "ok\n")]
    [InlineData("HEAD", "/~/live", 200, "")]
    [InlineData("GET", "/~/ready", 503, "unready\n")]
    [InlineData("HEAD", "/~/ready", 503, "")]
    public async Task Invoke_HealthPath_Answered(string method, string target, int status, string body)
    {
        var context = Request(method, target);

        await Middleware().InvokeAsync(context);

        Assert.False(_passedOn);
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("text/plain", context.Response.ContentType);
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        Assert.Equal(body, Body(context));
    }

    [Theory]
    [InlineData("PUT", "/~/ready")]
    [InlineData("POST", "/~/live")]
    [InlineData("DELETE", "/~/ready")]
    [InlineData("GET", "/~/ready/")]
    [InlineData("GET", "/~/readyz")]
    [InlineData("GET", "/~/LIVE")]
    [InlineData("GET", "/%7E/ready")]
    [InlineData("GET", "/~")]
    [InlineData("GET", "/master.images/~/ready")]
    [InlineData("GET", "/")]
    public async Task Invoke_OtherRequest_PassedOnToS3(string method, string target)
    {
        var context = Request(method, target);

        await Middleware().InvokeAsync(context);

        Assert.True(_passedOn);
    }

    [Fact]
    public async Task Invoke_VirtualHostedBucket_HealthPathIsAKey()
    {
        var context = Request("GET", "/~/ready", host: "images.s3.example.com");

        await Middleware(baseDomain: "s3.example.com").InvokeAsync(context);

        Assert.True(_passedOn);
    }

    [Fact]
    public async Task Invoke_BaseDomainItself_Answered()
    {
        var context = Request("GET", "/~/live", host: "s3.example.com:30600");

        await Middleware(baseDomain: "s3.example.com").InvokeAsync(context);

        Assert.False(_passedOn);
        Assert.Equal(200, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("/~/live")]
    [InlineData("/~/ready")]
    public async Task Invoke_ShuttingDown_Unavailable(string path)
    {
        _lifetime.StopApplication();
        var context = Request("GET", path);

        await Middleware().InvokeAsync(context);

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("stopping\n", Body(context));
    }

    private HealthEndpoints Middleware(string? baseDomain = null)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSingleton<IPachClient>(_unreachable)
            .AddGateway()
            .BuildServiceProvider();
        return new HealthEndpoints(
            _ => { _passedOn = true; return Task.CompletedTask; },
            services,
            _lifetime,
            Options.Create(new S3ProtocolOptions { BaseDomain = baseDomain }));
    }

    private static DefaultHttpContext Request(string method, string target, string host = "127.0.0.1:30600")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Headers.Host = host;
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        var query = target.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = query < 0 ? target : target[..query];
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    public void Dispose()
    {
        _unreachable.Dispose();
        _lifetime.Dispose();
    }

    private sealed class FakeLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
