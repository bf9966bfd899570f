using Gateway.Core.Health;
using Gateway.S3;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Hosting;

/// <summary>
/// Liveness and readiness of the standalone host, answered before S3 routing and authentication, without credentials,
/// with a one-word plain-text body that says nothing about the gateway, pachd or their versions.
/// <list type="bullet">
/// <item><see cref="LivePath"/>: 200 while the process serves and is not shutting down.</item>
/// <item><see cref="ReadyPath"/>: 200 when pachd answered a probe (<see cref="PachdReadiness"/>) and the host is not
/// shutting down; 503 otherwise.</item>
/// </list>
/// The paths begin with a segment no request for a bucket can have: <c>~</c> is neither in S3 bucket names nor in
/// Pachyderm repo, branch or project names (<c>[a-zA-Z0-9_-]</c>), so path-style S3 requests never reach them. With
/// virtual-hosted addressing (<c>GATEWAY_BASE_DOMAIN</c>) a request whose Host names a bucket is an S3 request whatever
/// its path (the key <c>~/ready</c> is a valid key), so such requests go to S3. Only GET and HEAD are answered; any
/// other method goes on to S3, which refuses the bucket name.
/// </summary>
internal sealed class HealthEndpoints
{
    /// <summary>The liveness path.</summary>
    public const string LivePath = "/~/live";

    /// <summary>The readiness path.</summary>
    public const string ReadyPath = "/~/ready";

    private static readonly Answer _ok = new(StatusCodes.Status200OK, "ok\n"u8.ToArray());
    private static readonly Answer _unready = new(StatusCodes.Status503ServiceUnavailable, "unready\n"u8.ToArray());
    private static readonly Answer _stopping = new(StatusCodes.Status503ServiceUnavailable, "stopping\n"u8.ToArray());

    private readonly RequestDelegate _next;
    private readonly IServiceProvider _services;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly S3ProtocolOptions _s3;
    private PachdReadiness? _readiness;

    /// <summary>
    /// <paramref name="services"/> gives <see cref="PachdReadiness"/> at the first readiness probe, not here: the pachd
    /// client it needs exists only once the hosted services (the pachd connection) have started.
    /// </summary>
    public HealthEndpoints(RequestDelegate next, IServiceProvider services, IHostApplicationLifetime lifetime, IOptions<S3ProtocolOptions> s3)
    {
        _next = next;
        _services = services;
        _lifetime = lifetime;
        _s3 = s3.Value;
    }

    /// <summary>Answers a health request, or passes anything else on.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var probe = Classify(context);
        return probe switch
        {
            Probe.Live => WriteAsync(context, _lifetime.ApplicationStopping.IsCancellationRequested ? _stopping : _ok),
            Probe.Ready => ReadyAsync(context),
            _ => _next(context),
        };
    }

    private async Task ReadyAsync(HttpContext context)
    {
        if (_lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await WriteAsync(context, _stopping).ConfigureAwait(false);
            return;
        }

        bool ready;
        try
        {
            _readiness ??= _services.GetRequiredService<PachdReadiness>();
            ready = await _readiness.IsReadyAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        // Shutdown may have begun while pachd was asked.
        var answer = _lifetime.ApplicationStopping.IsCancellationRequested ? _stopping : ready ? _ok : _unready;
        await WriteAsync(context, answer).ConfigureAwait(false);
    }

    private static Task WriteAsync(HttpContext context, Answer answer)
    {
        var response = context.Response;
        response.StatusCode = answer.Status;
        response.ContentType = "text/plain";
        response.ContentLength = answer.Body.Length;
        response.Headers.CacheControl = "no-store";
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(answer.Body, context.RequestAborted).AsTask();
    }

    /// <summary>
    /// True for a GET or HEAD of exactly <paramref name="path"/> (a <c>/~/</c> path) that is not an S3 request: with
    /// virtual-hosted addressing, <c>bucket.&lt;domain&gt;/~/ready</c> is the object <c>~/ready</c> of that bucket.
    /// </summary>
    internal static bool IsGatewayPath(HttpContext context, string path, S3ProtocolOptions s3)
    {
        var method = context.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            return false;
        }

        var raw = S3RequestTarget.GetRawTarget(context);
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var rawPath = query < 0 ? raw.AsSpan() : raw.AsSpan(0, query);
        return rawPath.SequenceEqual(path)
            && (string.IsNullOrEmpty(s3.BaseDomain)
                || !S3RequestTarget.Parse(raw, context.Request.Headers.Host.ToString(), s3.BaseDomain).IsVirtualHostedStyle);
    }

    private Probe Classify(HttpContext context) =>
        IsGatewayPath(context, LivePath, _s3) ? Probe.Live : IsGatewayPath(context, ReadyPath, _s3) ? Probe.Ready : Probe.None;

    private enum Probe
    {
        None,
        Live,
        Ready,
    }

    private sealed record Answer(int Status, byte[] Body);
}
