using Gateway.Core.Naming;
using Gateway.Pachyderm;
using Gateway.S3.Http;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Dispatch;

/// <summary>
/// Everything an operation needs about one request: the HTTP context, the parsed raw target, the bucket it
/// addresses, and the pachd client that carries the caller's token (or none when auth is off).
/// </summary>
internal sealed class S3Call
{
    public S3Call(HttpContext http, S3RequestContext s3, S3RequestTarget target, S3Operation operation, BucketAddress? bucket, IPachClient pach)
    {
        Http = http;
        S3 = s3;
        Target = target;
        Operation = operation;
        Bucket = bucket;
        Pach = pach;
    }

    public HttpContext Http { get; }

    public S3RequestContext S3 { get; }

    public S3RequestTarget Target { get; }

    public S3Operation Operation { get; }

    /// <summary>The bucket (null for service-level requests).</summary>
    public BucketAddress? Bucket { get; }

    /// <summary>The pachd client for this caller.</summary>
    public IPachClient Pach { get; }

    private Stream? _body;

    /// <summary>Opens the verified body on first use (set by the handler).</summary>
    public Func<Stream>? OpenBody { get; init; }

    /// <summary>The request body as the protocol layer verifies it (Content-MD5, SHA-256, checksums).</summary>
    public Stream Body => _body ??= OpenBody?.Invoke() ?? Http.Request.Body;

    public HttpRequest Request => Http.Request;

    public HttpResponse Response => Http.Response;

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The bucket, for operations that always have one.</summary>
    public BucketAddress RequiredBucket => Bucket ?? throw new InvalidOperationException("The operation needs a bucket.");

    /// <summary>The bucket name as sent.</summary>
    public string BucketName => Target.Bucket ?? string.Empty;

    /// <summary>The key as sent (decoded once).</summary>
    public string Key => Target.Key ?? string.Empty;
}
