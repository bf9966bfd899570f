using System.Text;
using Gateway.Core.Auth;
using Gateway.Pachyderm;
using Gateway.S3;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Gateway.Core.Tests.Support;

/// <summary>Drives <see cref="GatewayHandler"/> with a DefaultHttpContext and a mocked pachd.</summary>
public sealed class HandlerHarness
{
    public HandlerHarness(bool authActive = false)
    {
        Pach.Setup(p => p.IsAuthActiveAsync(It.IsAny<CancellationToken>())).ReturnsAsync(authActive);
        var options = Options.Create(new GatewayOptions());
        var auth = new PachAuthenticator(Pach.Object, options, Time, NullLogger<PachAuthenticator>.Instance);
        Handler = new GatewayHandler(Pach.Object, auth, Options.Create(new S3ProtocolOptions()), options, Time, NullLogger<GatewayHandler>.Instance);
    }

    public Mock<IPachClient> Pach { get; } = new(MockBehavior.Strict);

    public ManualTimeProvider Time { get; } = new();

    internal GatewayHandler Handler { get; }

    public async Task<Response> SendAsync(string method, string rawTarget, string? body = null, IDictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = q < 0 ? rawTarget : rawTarget[..q];
        context.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(rawTarget[q..]);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        context.Request.Headers.Host = "localhost";
        if (headers is not null)
        {
            foreach (var (k, v) in headers)
            {
                context.Request.Headers[k] = v;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(body ?? string.Empty);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        var output = new MemoryStream();
        context.Response.Body = output;
        await Handler.HandleAsync(context);
        return new Response(context.Response.StatusCode, context.Response.Headers, Encoding.UTF8.GetString(output.ToArray()));
    }

    public sealed record Response(int Status, IHeaderDictionary Headers, string Body)
    {
        public string? ErrorCode => Body.Contains("<Code>", StringComparison.Ordinal)
            ? Body[(Body.IndexOf("<Code>", StringComparison.Ordinal) + 6)..Body.IndexOf("</Code>", StringComparison.Ordinal)]
            : null;
    }
}
