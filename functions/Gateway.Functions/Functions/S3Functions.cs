using Gateway.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Functions.Functions;

/// <summary>
/// The HTTP triggers of Functions mode, one per S3 operation group. Each hands the request to the gateway;
/// bucket and key are read from the raw request target, never from the route values below (the host decodes
/// <c>%2F</c> and removes dot segments before routing).
/// </summary>
public sealed class S3Functions
{
    private readonly GatewayHandler _handler;

    /// <summary>Creates the triggers.</summary>
    public S3Functions(GatewayHandler handler) => _handler = handler;

    /// <summary>
    /// The root, any method: ListBuckets (<c>GET /</c>) and the S3 error for everything else there. The route is an
    /// empty optional parameter because the host routes an empty route to the function's name (<c>/Service</c>),
    /// and answers <c>/</c> itself (its homepage) when no function does.
    /// </summary>
    [Function("Service")]
    public Task Service([HttpTrigger(AuthorizationLevel.Anonymous, Route = "{root:maxlength(0)?}")] HttpRequest req) =>
        _handler.HandleAsync(Context(req));

    /// <summary>Bucket operations: <c>/{bucket}</c>.</summary>
    [Function("Buckets")]
    public Task Buckets([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "put", "delete", Route = "{bucket}")] HttpRequest req) =>
        _handler.HandleAsync(Context(req));

    /// <summary>
    /// Object reads: <c>GET/HEAD /{bucket}/{key}</c>. The key must not be empty: the host tries this route before
    /// <c>{bucket}</c>, and an empty catch-all would take the bucket-level requests from <see cref="Buckets"/>.
    /// </summary>
    [Function("ObjectReads")]
    public Task ObjectReads([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "{bucket}/{*key:minlength(1)}")] HttpRequest req) =>
        _handler.HandleAsync(Context(req));

    /// <summary>Object writes: <c>PUT/DELETE /{bucket}/{key}</c> (a key, as for <see cref="ObjectReads"/>).</summary>
    [Function("ObjectWrites")]
    public Task ObjectWrites([HttpTrigger(AuthorizationLevel.Anonymous, "put", "delete", Route = "{bucket}/{*key:minlength(1)}")] HttpRequest req) =>
        _handler.HandleAsync(Context(req));

    /// <summary>POSTs: DeleteObjects (<c>/{bucket}?delete</c>) and multipart uploads (<c>/{bucket}/{*key}</c>).</summary>
    [Function("Uploads")]
    public Task Uploads([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "{bucket}/{*key}")] HttpRequest req) =>
        _handler.HandleAsync(Context(req));

    /// <summary>
    /// Methods S3 does not serve on buckets and objects (<c>OPTIONS</c>, <c>PATCH</c>): the gateway's S3 error instead
    /// of the host's bare 404. Its methods are disjoint from the other functions', so route order cannot matter.
    /// </summary>
    [Function("OtherMethods")]
    public Task OtherMethods([HttpTrigger(AuthorizationLevel.Anonymous, "options", "patch", Route = "{bucket}/{*key}")] HttpRequest req) =>
        _handler.HandleAsync(Context(req));

    private static HttpContext Context(HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        return req.HttpContext;
    }
}
