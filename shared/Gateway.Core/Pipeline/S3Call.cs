using Gateway.Core.Naming;
using Gateway.Pachyderm;
using Gateway.S3.Auth;
using Gateway.S3.Body;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Pipeline;

/// <summary>
/// Everything an operation may know about one request: the request itself (never the response: operations answer
/// with an <see cref="Gateway.S3.Http.S3Response"/>), the parsed raw target, the bucket it addresses, how it was
/// authenticated, and the pachd client that carries the caller's token (or none when auth is off).
/// </summary>
internal sealed class S3Call
{
    private readonly HttpContext _http;
    private readonly bool _hashBody;
    private S3VerifyingStream? _body;

    public S3Call(HttpContext http, S3RequestTarget target, S3Operation operation, BucketAddress? bucket, IPachClient pach, S3AuthResult auth, bool hashBody = false)
    {
        _hashBody = hashBody;
        _http = http;
        Target = target;
        Operation = operation;
        Bucket = bucket;
        Pach = pach;
        Auth = auth;
    }

    public S3RequestTarget Target { get; }

    public S3Operation Operation { get; }

    /// <summary>The bucket (null for service-level requests).</summary>
    public BucketAddress? Bucket { get; }

    /// <summary>The pachd client for this caller.</summary>
    public IPachClient Pach { get; }

    /// <summary>How the request was authenticated (payload mode and signing state for the body).</summary>
    public S3AuthResult Auth { get; }

    /// <summary>
    /// The request body as the protocol layer verifies it (length, Content-MD5, SHA-256, x-amz-checksum-*,
    /// aws-chunked signatures), opened on first use so the body limit can still change before the first read. Object
    /// uploads also get the MD5 of their bytes (<see cref="S3VerifyingStream.Md5"/>, the ETag S3 answers).
    /// </summary>
    public S3VerifyingStream Body => _body ??= S3RequestBody.Open(_http, Auth, computeMd5: _hashBody);

    /// <summary>The checksums the body was verified against, once it was read to its end (else empty).</summary>
    public IReadOnlyList<S3.Checksums.S3Checksum> VerifiedChecksums => _body is { IsCompleted: true } body ? body.Checksums : [];

    public HttpRequest Request => _http.Request;

    /// <summary>The request id sent in <c>x-amz-request-id</c> (for log lines).</summary>
    public string RequestId => Gateway.S3.Http.S3RequestContext.Get(_http)?.RequestId ?? string.Empty;

    public CancellationToken Aborted => _http.RequestAborted;

    /// <summary>The bucket, for operations that always have one.</summary>
    public BucketAddress RequiredBucket => Bucket ?? throw new InvalidOperationException("The operation needs a bucket.");

    /// <summary>The bucket name as sent.</summary>
    public string BucketName => Target.Bucket ?? string.Empty;

    /// <summary>The key as sent (decoded once).</summary>
    public string Key => Target.Key ?? string.Empty;

    /// <summary>The <c>versionId</c> asked for; null when absent, empty or <c>null</c> (S3's id of unversioned objects).</summary>
    public string? VersionId => VersionIds.Normalize(Target.Query.Get("versionId"));
}
