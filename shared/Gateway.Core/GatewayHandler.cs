using Gateway.Core.Auth;
using Gateway.Core.History;
using Gateway.Core.Logging;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Core.Telemetry;
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
/// The one entry point of the S3 gateway, shared by the standalone Kestrel host and the Functions triggers. A
/// pipeline: parse the raw target, classify, authenticate, run the operation's row of <see cref="OperationTable"/>,
/// write its response; any failure becomes S3 error XML at <see cref="ErrorBoundary"/>.
/// </summary>
public sealed class GatewayHandler
{
    private readonly OperationTable _operations;
    private readonly RequestAuthenticator _authenticator;
    private readonly PachAuthenticator _pachAuth;
    private readonly S3ResponseWriter _writer;
    private readonly ErrorBoundary _errors;
    private readonly RequestLimiter _limiter;
    private readonly S3ProtocolOptions _s3Options;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILogger _accessLog;

    /// <summary>The log category of the one line per request (<see cref="GatewayLog.Request"/>), to filter it on its own.</summary>
    public const string AccessLogCategory = "Gateway.Access";

    internal GatewayHandler(
        PachAuthenticator pachAuth, IOptions<S3ProtocolOptions> s3Options, IOptions<GatewayOptions> options, TimeProvider time, ILogger<GatewayHandler> logger, ILogger? accessLog = null, AuthFailureLimitOptions? authFailures = null)
    {
        _accessLog = accessLog ?? logger;
        _pachAuth = pachAuth;
        _s3Options = s3Options.Value;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _authenticator = new RequestAuthenticator(pachAuth, _s3Options, authFailures ?? new AuthFailureLimitOptions(), time);
        _operations = new OperationTable(_options, _s3Options, time, logger);
        _writer = new S3ResponseWriter(_s3Options, time);
        _errors = new ErrorBoundary(logger, _options.RetryAfterSeconds);
        _limiter = new RequestLimiter(_options);
    }

    /// <summary>
    /// Serves one S3 request on <paramref name="context"/>; never throws for S3 or pachd failures. Every request also
    /// gets a server span (<see cref="RequestTelemetry"/>), its metrics and one access log line.
    /// </summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s3 = S3CommonHeaders.Apply(context, _s3Options, _time);
        using var telemetry = RequestTelemetry.Start(context);
        S3Response? response = null;
        try
        {
            var request = context.Request;
            var target = s3.Target = S3RequestTarget.FromHttpContext(context, _s3Options);
            var match = S3OperationClassifier.Classify(request.Method, target, request.Headers.ContainsKey(S3CopySource.HeaderName));
            s3.Operation = match.Operation;
            telemetry.Classified(match.Operation);
            using var place = await _limiter.AcquireAsync(match.Operation, context.RequestAborted).ConfigureAwait(false);
            var entry = _operations.Find(match.Operation);
            LimitBody(context, entry?.Body ?? RequestBodyKind.Xml);

            var (auth, signed) = await _authenticator.AuthenticateAsync(context, target).ConfigureAwait(false);
            target = s3.Target = signed;
            var pach = await _pachAuth.ClientForAsync(auth.Identity, context.RequestAborted).ConfigureAwait(false);
            if (entry is null)
            {
                S3OperationClassifier.ThrowIfUnserved(match, request.Method, target);
                throw S3Exception.NotImplemented($"The {match.Operation} operation");
            }

            var bucket = entry.NeedsBucket ? ParseBucket(target) : null;
            if (entry.Access == OperationAccess.Write && bucket?.CommitId is { } commit)
            {
                throw new S3Exception(S3Errors.MethodNotAllowed,
                    $"This bucket names commit {commit}, and commits cannot change: write to '{bucket.ListingName}' instead.")
                { BucketName = target.Bucket };
            }

            if (bucket?.CommitId is { } pinned
                && await VersionHistory.FindBranchCommitAsync(pach, bucket, target.Bucket!, pinned, context.RequestAborted).ConfigureAwait(false) is null)
            {
                // A commit of another branch (or none) is no view of this branch.
                throw new S3Exception(S3Errors.NoSuchBucket) { BucketName = target.Bucket };
            }

            var call = new S3Call(context, target, entry.Operation, bucket, pach, auth, hashBody: entry.Body == RequestBodyKind.Object);
            response = await entry.Handler.RunAsync(call).ConfigureAwait(false);
            await _writer.WriteAsync(context, response, e => telemetry.Failed(_errors.ToS3Error(e, s3))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            GatewayLog.ClientAborted(_logger, s3.Operation.ToString(), s3.RequestId);
        }
        catch (Exception ex)
        {
            if (!await _writer.WriteErrorAsync(context, telemetry.Failed(_errors.ToS3Error(ex, s3))).ConfigureAwait(false))
            {
                // The status line is gone already; a broken connection is the only honest signal left.
                context.Abort();
            }
        }
        finally
        {
            if (response is not null)
            {
                await response.DisposeAsync().ConfigureAwait(false);
            }

            telemetry.Completed(_accessLog, s3);
        }
    }

    /// <summary>The bucket the target names; InvalidBucketName, or NoSuchBucket for the gateway's own repos.</summary>
    private static BucketAddress ParseBucket(S3RequestTarget target)
    {
        var name = target.Bucket ?? string.Empty;
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

    /// <summary>Object data may be up to MaxObjectSize (plus aws-chunked framing); any other body an XML document at most.</summary>
    private void LimitBody(HttpContext context, RequestBodyKind body)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = body == RequestBodyKind.Object
                ? _options.MaxObjectSize + (_options.MaxObjectSize / 64) + (1024 * 1024)
                : _s3Options.MaxXmlBodyBytes;
        }
    }
}
