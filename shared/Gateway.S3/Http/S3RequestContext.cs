using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Http;

/// <summary>
/// Per-request S3 state kept in <see cref="HttpContext.Features"/>: the ids sent in
/// <c>x-amz-request-id</c>/<c>x-amz-id-2</c>, and (once known) target and operation.
/// Created by <see cref="S3CommonHeaders.Apply"/>.
/// </summary>
public sealed class S3RequestContext
{
    internal S3RequestContext(string requestId, string hostId)
    {
        RequestId = requestId;
        HostId = hostId;
    }

    /// <summary>16 upper-case hex characters, as AWS.</summary>
    public string RequestId { get; }

    /// <summary>The extended request id (base64).</summary>
    public string HostId { get; }

    /// <summary>The parsed request target, once the host has parsed it (used for the error Resource).</summary>
    public S3RequestTarget? Target { get; set; }

    /// <summary>The classified operation, once known (for logging and metrics).</summary>
    public S3Operation Operation { get; set; }

    /// <summary>Returns the context of the request, or null when <see cref="S3CommonHeaders.Apply"/> has not run.</summary>
    public static S3RequestContext? Get(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<S3RequestContext>();
    }
}
