using Gateway.Pachyderm;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Logging;

/// <summary>Source-generated log events of the S3 operations. Never log tokens, signatures or Authorization headers.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "pachd auth is {State}")]
    private static partial void AuthModeChangedCore(ILogger logger, string state);

    /// <summary>The auth mode seen at pachd changed (or was first learned).</summary>
    public static void AuthModeChanged(ILogger logger, bool active) => AuthModeChangedCore(logger, active ? "active" : "not active");

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "pachd rejected the token with id {TokenId} (SHA-256 prefix)")]
    public static partial void TokenRejected(ILogger logger, string tokenId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Unexpected error in {Operation} (request {RequestId})")]
    public static partial void UnexpectedError(ILogger logger, Exception exception, string operation, string requestId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "pachd error {Kind} in {Operation} (request {RequestId}) answered as {S3Code}")]
    public static partial void PachError(ILogger logger, PachErrorKind kind, string operation, string requestId, string s3Code);

    [LoggerMessage(EventId = 5, EventName = "S3Request", Level = LogLevel.Information,
        Message = "{Method} {Operation} bucket={Bucket} keyLength={KeyLength} status={Status} error={ErrorCode} in={BytesIn} out={BytesOut} durationMs={DurationMs} request={RequestId}")]
    private static partial void RequestCore(ILogger logger, string method, string operation, string bucket, int keyLength, int status, string errorCode,
        long bytesIn, long bytesOut, double durationMs, string requestId);

    /// <summary>
    /// The one access log line of a request. Its fields are what an operator needs and nothing a caller would want
    /// hidden: the key only as its length; never the query (presigned signatures), headers, tokens or signatures.
    /// </summary>
    public static void Request(ILogger logger, string method, string operation, string bucket, int keyLength, int status, string errorCode,
        long bytesIn, long bytesOut, double durationMs, string requestId)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            RequestCore(logger, method, operation, bucket, keyLength, status, errorCode, bytesIn, bytesOut, Math.Round(durationMs, 3), requestId);
        }
    }

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "The client went away during {Operation} (request {RequestId})")]
    public static partial void ClientAborted(ILogger logger, string operation, string requestId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "S3 server error {Code} in {Operation} (request {RequestId})")]
    public static partial void ServerError(ILogger logger, string code, string operation, string requestId);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "The object was written but its record could not be (pachd error {Kind}); it is served with a content-derived ETag and no metadata (request {RequestId})")]
    public static partial void RecordWriteFailed(ILogger logger, PachErrorKind kind, string requestId);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "pachd answers (auth {AuthState}): ready")]
    private static partial void PachdReachableCore(ILogger logger, string authState);

    /// <summary>A readiness probe reached pachd after it had not (or for the first time).</summary>
    public static void PachdReachable(ILogger logger, bool authActive) => PachdReachableCore(logger, authActive ? "active" : "not active");

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "pachd does not answer ({Failure}): not ready")]
    public static partial void PachdUnreachable(ILogger logger, string failure);
}
