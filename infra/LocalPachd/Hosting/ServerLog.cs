using Microsoft.Extensions.Logging;

namespace LocalPachd.Hosting;

/// <summary>Source-generated log messages of LocalPachd (never tokens or file contents).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "LocalPachd listening on {Address} (data: {DataDirectory})")]
    public static partial void Started(ILogger logger, Uri address, string dataDirectory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "ModifyFile applied {Operations} operation(s), {Chunks} chunk(s) written")]
    public static partial void ModifyFileApplied(ILogger logger, int operations, int chunks);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "ModifyFile stream ended without being applied; released {Chunks} chunk(s)")]
    public static partial void ModifyFileAborted(ILogger logger, int chunks);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Garbage collection removed {Nodes} node(s), {Contents} content(s), {Chunks} chunk(s) in {ElapsedMs} ms")]
    public static partial void GarbageCollected(ILogger logger, int nodes, int contents, int chunks, long elapsedMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Garbage collection failed")]
    public static partial void GarbageCollectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Removed {Count} chunk file(s) left by an interrupted write")]
    public static partial void OrphansRemoved(ILogger logger, int count);
}
