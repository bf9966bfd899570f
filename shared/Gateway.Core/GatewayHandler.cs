using System.Diagnostics;
using Gateway.Core.Auth;
using Gateway.Core.Buckets;
using Gateway.Core.Copy;
using Gateway.Core.Dispatch;
using Gateway.Core.Errors;
using Gateway.Core.Listing;
using Gateway.Core.Logging;
using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Core.Service;
using Gateway.Core.Uploads;
using Gateway.Pachyderm;
using Gateway.S3;
using Gateway.S3.Auth;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core;

/// <summary>
/// The one entry point of the S3 gateway, shared by the standalone Kestrel host and the Functions triggers:
/// common headers, body-size limit, raw-target parsing, classification, authentication, the operation, and
/// the mapping of every failure to S3 error XML (never internal text).
/// </summary>
public sealed class GatewayHandler
{
    /// <summary>Body limit for requests that are not object writes (XML documents at most).</summary>
    internal const long NonWriteBodyLimit = 8L * 1024 * 1024;

    private readonly IPachClient _pach;
    private readonly PachAuthenticator _pachAuth;
    private readonly S3Authenticator _authenticator;
    private readonly S3ProtocolOptions _s3Options;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewayHandler> _logger;
    private readonly ServiceOperations _service;
    private readonly BucketOperations _buckets;
    private readonly ListObjectsOperation _listing;
    private readonly ObjectReads _reads;
    private readonly ObjectWrites _writes;
    private readonly DeleteObjectsOperation _deleteObjects;
    private readonly MultipartOperations _multipart;
    private readonly CompleteMultipartUploadOperation _complete;
    private readonly ListMultipartUploadsOperation _listUploads;
    private readonly CopyObjectOperation _copy;

    internal GatewayHandler(
        IPachClient pach,
        PachAuthenticator pachAuth,
        IOptions<S3ProtocolOptions> s3Options,
        IOptions<GatewayOptions> options,
        TimeProvider time,
        ILogger<GatewayHandler> logger)
    {
        _pach = pach;
        _pachAuth = pachAuth;
        _s3Options = s3Options.Value;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _authenticator = new S3Authenticator(new PachCredentialResolver(pachAuth), _s3Options, time);
        _service = new ServiceOperations();
        _buckets = new BucketOperations(options);
        _listing = new ListObjectsOperation();
        _reads = new ObjectReads(options);
        _writes = new ObjectWrites(options);
        _deleteObjects = new DeleteObjectsOperation(_s3Options);
        _multipart = new MultipartOperations(options, time, logger);
        _complete = new CompleteMultipartUploadOperation(CompleteMultipartUploadOperation.DefaultKeepAliveInterval, time, logger);
        _listUploads = new ListMultipartUploadsOperation();
        _copy = new CopyObjectOperation(time);
    }

    /// <summary>Serves one S3 request on <paramref name="context"/>; never throws for S3 or pachd failures.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s3 = S3CommonHeaders.Apply(context, _s3Options, _time);
        var started = Stopwatch.GetTimestamp();
        var operation = S3Operation.Unknown;
        try
        {
            var target = S3RequestTarget.FromHttpContext(context, _s3Options);
            s3.Target = target;
            var match = S3OperationClassifier.Classify(context.Request.Method, target, context.Request.Headers.ContainsKey("x-amz-copy-source"));
            operation = match.Operation;
            s3.Operation = operation;
            SetBodyLimit(context, operation);

            var auth = await _authenticator.AuthenticateAsync(context, target, context.RequestAborted).ConfigureAwait(false);
            var authActive = await _pachAuth.IsAuthActiveAsync(context.RequestAborted).ConfigureAwait(false);
            if (authActive)
            {
                auth.Identity.RequireAuthenticated();
            }

            var emptyTagging = ObjectTaggingOperation.IsGetObjectTagging(context.Request.Method, target);
            if (!emptyTagging)
            {
                S3OperationClassifier.ThrowIfUnserved(match);
            }

            var bucket = ParseBucket(target);
            var pach = authActive ? _pach.WithToken(auth.Identity.AccessKeyId) : _pach;
            var call = new S3Call(context, s3, target, operation, bucket, pach)
            {
                OpenBody = RequestBodyVerifier.For(context, auth),
            };
            await (emptyTagging ? ObjectTaggingOperation.GetAsync(call) : DispatchAsync(call)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            GatewayLog.ClientAborted(_logger, operation.ToString(), s3.RequestId);
        }
        catch (Exception ex)
        {
            var error = ToS3Error(ex, operation, s3);
            if (!await S3ErrorResponder.WriteAsync(context, error, _s3Options, context.RequestAborted).ConfigureAwait(false))
            {
                // The status line is gone already; a broken connection is the only honest signal left.
                context.Abort();
            }
        }
        finally
        {
            GatewayLog.RequestCompleted(_logger, context.Request.Method, operation.ToString(), s3.Target?.Bucket, context.Response.StatusCode,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, s3.RequestId);
        }
    }

    private Task DispatchAsync(S3Call call) => call.Operation switch
    {
        S3Operation.ListBuckets => _service.ListBucketsAsync(call),
        S3Operation.CreateBucket => _buckets.CreateBucketAsync(call),
        S3Operation.DeleteBucket => _buckets.DeleteBucketAsync(call),
        S3Operation.HeadBucket => _buckets.HeadBucketAsync(call),
        S3Operation.GetBucketLocation => _buckets.GetBucketLocationAsync(call),
        S3Operation.GetBucketVersioning => _buckets.GetBucketVersioningAsync(call),
        S3Operation.PutBucketVersioning => _buckets.PutBucketVersioningAsync(call),
        S3Operation.ListObjects => _listing.ListAsync(call, v2: false),
        S3Operation.ListObjectsV2 => _listing.ListAsync(call, v2: true),
        S3Operation.GetObject => _reads.GetObjectAsync(call),
        S3Operation.HeadObject => _reads.HeadObjectAsync(call),
        S3Operation.PutObject => _writes.PutObjectAsync(call),
        S3Operation.DeleteObject => _writes.DeleteObjectAsync(call),
        S3Operation.DeleteObjects => _deleteObjects.DeleteObjectsAsync(call),
        S3Operation.CopyObject => _copy.CopyObjectAsync(call),
        S3Operation.CreateMultipartUpload => _multipart.CreateAsync(call),
        S3Operation.UploadPart => _multipart.UploadPartAsync(call),
        S3Operation.UploadPartCopy => _multipart.UploadPartCopyAsync(call),
        S3Operation.CompleteMultipartUpload => _complete.CompleteAsync(call),
        S3Operation.AbortMultipartUpload => _multipart.AbortAsync(call),
        S3Operation.ListParts => _multipart.ListPartsAsync(call),
        S3Operation.ListMultipartUploads => _listUploads.ListAsync(call),
        _ => throw S3Exception.NotImplemented($"The {call.Operation} operation"),
    };

    private static BucketAddress? ParseBucket(S3RequestTarget target)
    {
        if (target.Bucket is not { } name)
        {
            return null;
        }

        if (!BucketName.TryParse(name, out var bucket, out var reason))
        {
            throw new S3Exception(S3Errors.InvalidBucketName, reason) { BucketName = name };
        }

        if (bucket.IsInternal)
        {
            // The gateway's own repos are invisible: not listed and not addressable.
            throw new S3Exception(S3Errors.NoSuchBucket) { BucketName = name };
        }

        return bucket;
    }

    /// <summary>Object writes may carry up to 5 GiB (plus aws-chunked framing); anything else an XML document at most.</summary>
    private void SetBodyLimit(HttpContext context, S3Operation operation)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is null || feature.IsReadOnly)
        {
            return;
        }

        feature.MaxRequestBodySize = operation is S3Operation.PutObject or S3Operation.UploadPart
            ? _options.MaxObjectSize + (_options.MaxObjectSize / 64) + (1024 * 1024)
            : NonWriteBodyLimit;
    }

    private S3Exception ToS3Error(Exception ex, S3Operation operation, S3RequestContext s3)
    {
        switch (ex)
        {
            case S3Exception s3ex:
                if (s3ex.Error.StatusCode >= 500)
                {
                    GatewayLog.ServerError(_logger, s3ex.Error.Code, operation.ToString(), s3.RequestId);
                }

                return s3ex;
            case PachException pe:
                var target = operation is S3Operation.GetObject or S3Operation.HeadObject or S3Operation.PutObject or S3Operation.DeleteObject
                    ? PachErrorMapper.Target.Object
                    : PachErrorMapper.Target.Bucket;
                var mapped = PachErrorMapper.Map(pe, target, s3.Target?.Bucket, s3.Target?.Key);
                GatewayLog.PachError(_logger, pe.Kind, operation.ToString(), s3.RequestId, mapped.Error.Code);
                return mapped;
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return new S3Exception(S3Errors.EntityTooLarge);
            case BadHttpRequestException:
                return new S3Exception(S3Errors.IncompleteBody);
            default:
                GatewayLog.UnexpectedError(_logger, ex, operation.ToString(), s3.RequestId);
                return new S3Exception(S3Errors.InternalError);
        }
    }
}
