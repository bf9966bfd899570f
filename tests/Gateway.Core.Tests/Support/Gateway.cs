using System.Text;
using System.Xml.Linq;
using Gateway.Core.Auth;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3;
using Gateway.S3.Auth;
using Gateway.S3.Http;
using Gateway.S3.Routing;
using Gateway.S3.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Support;

/// <summary>
/// Drives the gateway in process: <see cref="SendAsync"/> runs the whole production pipeline
/// (<see cref="GatewayHandler"/>) on a DefaultHttpContext; <see cref="CallAsync"/> builds the <see cref="S3Call"/> an
/// operation receives, so a test can run one operation and assert on the <see cref="S3Response"/> it returns.
/// </summary>
internal sealed class Gateway
{
    private readonly IPachClient _pach;

    public Gateway(IPachClient pach, GatewayOptions? options = null, S3ProtocolOptions? s3Options = null, TimeProvider? time = null)
    {
        _pach = pach;
        var gatewayOptions = Options.Create(options ?? new GatewayOptions { AuthModeCacheSeconds = 0 });
        var auth = new PachAuthenticator(pach, gatewayOptions, TimeProvider.System, NullLogger<PachAuthenticator>.Instance);
        Handler = new GatewayHandler(auth, Options.Create(s3Options ?? new S3ProtocolOptions()), gatewayOptions, time ?? TimeProvider.System, NullLogger<GatewayHandler>.Instance);
    }

    public GatewayHandler Handler { get; }

    /// <summary>Sends one request through the pipeline.</summary>
    public async Task<Response> SendAsync(string method, string rawTarget, string? body = null, IDictionary<string, string>? headers = null, Action<HttpContext>? configure = null)
    {
        var context = NewContext(method, rawTarget, body, headers);
        configure?.Invoke(context);
        var output = new MemoryStream();
        context.Response.Body = output;
        await Handler.HandleAsync(context);
        return new Response(context.Response.StatusCode, context.Response.Headers, output.ToArray());
    }

    /// <summary>The call an operation would receive for this request (unsigned, auth off).</summary>
    public async Task<S3Call> CallAsync(string method, string rawTarget, string? body = null, IDictionary<string, string>? headers = null)
    {
        var context = NewContext(method, rawTarget, body, headers);
        var target = S3RequestTarget.FromHttpContext(context, new S3ProtocolOptions());
        var operation = S3OperationClassifier.Classify(method, target, context.Request.Headers.ContainsKey(S3CopySource.HeaderName)).Operation;
        var auth = await new S3Authenticator(AccessKeyIsSecretResolver.Instance, new S3ProtocolOptions()).AuthenticateAsync(context, target, default);
        var bucket = target.Bucket is { } name && Core.Naming.BucketName.TryParse(name, out var parsed, out _) ? parsed : null;
        return new S3Call(context, target, operation, bucket, _pach, auth);
    }

    private static DefaultHttpContext NewContext(string method, string rawTarget, string? body, IDictionary<string, string>? headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = q < 0 ? rawTarget : rawTarget[..q];
        context.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(rawTarget[q..]);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        context.Request.Headers.Host = "localhost";
        context.Request.Scheme = "http";
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        var bytes = Encoding.UTF8.GetBytes(body ?? string.Empty);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        return context;
    }

    /// <summary>A response as the client saw it.</summary>
    public sealed record Response(int Status, IHeaderDictionary Headers, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);

        /// <summary>The body's XML document (namespace dropped so tests name elements plainly).</summary>
        public XElement Xml => Responses.Plain(XDocument.Parse(Text).Root!);

        /// <summary>The error document's Code, or null when the body is not an S3 error.</summary>
        public string? ErrorCode => Body.Length > 0 && Xml.Name.LocalName == "Error" ? Xml.Element("Code")!.Value : null;
    }
}

/// <summary>Reads what operations answer.</summary>
internal static class Responses
{
    /// <summary>The response's XML document, parsed (namespace dropped so tests name elements plainly).</summary>
    public static async Task<XElement> XmlAsync(this S3Response response)
    {
        var document = response.Document ?? throw new InvalidOperationException("The response has no XML document.");
        using var buffer = new MemoryStream();
        await S3XmlResponse.WriteAsync(buffer, document, default);
        return Plain(XDocument.Parse(Encoding.UTF8.GetString(buffer.ToArray())).Root!);
    }

    /// <summary><paramref name="root"/> with every element's namespace dropped.</summary>
    public static XElement Plain(XElement root)
    {
        foreach (var e in root.DescendantsAndSelf())
        {
            e.Name = e.Name.LocalName;
        }

        return root;
    }

    /// <summary>The values of every element named <paramref name="name"/> below <paramref name="root"/>.</summary>
    public static List<string> All(this XElement root, string name) => root.Descendants(name).Select(e => e.Value).ToList();

    /// <summary>The value of the one element named <paramref name="name"/> below <paramref name="root"/>.</summary>
    public static string One(this XElement root, string name) => root.Descendants(name).Single().Value;

    /// <summary>The object bytes of a GET response, as text.</summary>
    public static async Task<string> ContentAsync(this S3Response response)
    {
        if (response.Content is null)
        {
            return string.Empty;
        }

        using var reader = new StreamReader(response.Content);
        var text = await reader.ReadToEndAsync();
        return text[..(int)response.ContentLength!.Value];
    }
}
