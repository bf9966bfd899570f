using Gateway.Core.Errors;
using Gateway.Core.Logging;
using Gateway.Core.Naming;
using Gateway.Pachyderm;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Pipeline;

/// <summary>
/// Where every failure of a request becomes the S3 error the client sees, once: S3 errors as raised; pachd errors
/// through <see cref="PachErrorMapper"/> with what the request addressed; a body Kestrel refused as EntityTooLarge
/// or IncompleteBody; a wait that gave up inside the gateway (not the client's: the handler catches those first) as
/// ServiceUnavailable; anything else a logged, generic InternalError (never internal text). Every 503 carries
/// Retry-After.
/// </summary>
internal sealed class ErrorBoundary
{
    private readonly ILogger _logger;
    private readonly int _retryAfterSeconds;

    public ErrorBoundary(ILogger logger, int retryAfterSeconds = PachErrorMapper.DefaultRetryAfterSeconds)
    {
        _logger = logger;
        _retryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>The S3 error for <paramref name="exception"/>, raised while serving the request of <paramref name="s3"/>.</summary>
    public S3Exception ToS3Error(Exception exception, S3RequestContext s3)
    {
        var operation = s3.Operation.ToString();
        switch (Unwrap(exception))
        {
            case S3Exception error:
                if (error.Error.StatusCode >= 500)
                {
                    GatewayLog.ServerError(_logger, error.Error.Code, operation, s3.RequestId);
                }

                return error;
            case PachException pach:
                var target = s3.Target;
                var context = new PachErrorContext(target?.Bucket, target?.Key, VersionIds.Normalize(target?.Query.Get("versionId")));
                var mapped = PachErrorMapper.Map(pach, context, _retryAfterSeconds);
                GatewayLog.PachError(_logger, pach.Kind, operation, s3.RequestId, mapped.Error.Code);
                return mapped;
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return new S3Exception(S3Errors.EntityTooLarge);
            case BadHttpRequestException:
                return new S3Exception(S3Errors.IncompleteBody);
            case OperationCanceledException or TimeoutException:
                var timedOut = RetryLater.ServiceUnavailable("The request timed out inside the gateway; retry shortly.", _retryAfterSeconds);
                GatewayLog.ServerError(_logger, timedOut.Error.Code, operation, s3.RequestId);
                return timedOut;
            default:
                GatewayLog.UnexpectedError(_logger, exception, operation, s3.RequestId);
                return new S3Exception(S3Errors.InternalError);
        }
    }

    /// <summary>
    /// The error that decides the answer: the exception itself, or an S3 or pachd error it wraps (the body verifier
    /// fails inside the pachd client's writer, and tasks wrap what they throw).
    /// </summary>
    private static Exception Unwrap(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is S3Exception or PachException)
            {
                return e;
            }

            if (e is AggregateException aggregate && aggregate.Flatten().InnerExceptions.FirstOrDefault(x => x is S3Exception or PachException) is { } inner)
            {
                return inner;
            }
        }

        return exception;
    }
}
