using Microsoft.Extensions.Logging;

namespace Gateway.Core.Uploads;

/// <summary>Source-generated log messages of multipart uploads and copies (event ids 300-399).</summary>
internal static partial class UploadsLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Multipart upload {UploadId} started for {Bucket}")]
    public static partial void Created(ILogger logger, string uploadId, string bucket);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Multipart upload {UploadId} completed with {Parts} parts, {Bytes} bytes")]
    public static partial void Completed(ILogger logger, string uploadId, int parts, long bytes);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Multipart upload {UploadId} aborted")]
    public static partial void Aborted(ILogger logger, string uploadId);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Part {PartNumber} of upload {UploadId} arrived after the upload ended; removed it")]
    public static partial void LatePartRemoved(ILogger logger, int partNumber, string uploadId);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "Removed {Count} expired multipart uploads and receipts from {Bucket}")]
    private static partial void SweptSome(ILogger logger, int count, string bucket);

    /// <summary>Logs a sweep that removed something.</summary>
    public static void Swept(ILogger logger, int count, string bucket)
    {
        if (count > 0)
        {
            SweptSome(logger, count, bucket);
        }
    }

    [LoggerMessage(EventId = 306, Level = LogLevel.Debug, Message = "A retried CompleteMultipartUpload of {UploadId} was answered from its receipt")]
    public static partial void CompletedAgain(ILogger logger, string uploadId);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Upload {UploadId} was assembled but its record could not be written nor its directory removed (pachd error {Kind})")]
    public static partial void CleanupFailed(ILogger logger, string uploadId, Gateway.Pachyderm.PachErrorKind kind);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "pachd refused to squash the gateway branch history of repo {Repo} ({Status}): removed uploads keep their bytes in earlier commits (squashing needs pachd 2.8+ and, with auth on, a cluster admin's token). Logged once.")]
    public static partial void TrimUnavailable(ILogger logger, string repo, Grpc.Core.StatusCode status);

    [LoggerMessage(EventId = 308, Level = LogLevel.Debug, Message = "Squashing the gateway branch history of repo {Repo} stopped (pachd error {Kind}); the next trim goes on")]
    public static partial void TrimStopped(ILogger logger, string repo, Gateway.Pachyderm.PachErrorKind kind);

    [LoggerMessage(EventId = 309, Level = LogLevel.Information, Message = "Squashed {Count} settled commits of the gateway branch history of repo {Repo}")]
    private static partial void TrimmedSome(ILogger logger, int count, string repo);

    /// <summary>Logs a trim that squashed something.</summary>
    public static void Trimmed(ILogger logger, int count, string repo)
    {
        if (count > 0)
        {
            TrimmedSome(logger, count, repo);
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Squashing the gateway branch history of repo {Repo} failed: {Reason}")]
    public static partial void TrimFailed(ILogger logger, string repo, string reason);
}
