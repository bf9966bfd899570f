using Grpc.Core;

namespace LocalPachd.Services;

/// <summary>Writes server-streamed listings, letting messages batch up and flushing every so often.</summary>
internal static class StreamWriter
{
    private const int _flushEvery = 256;
    private static readonly WriteOptions _buffered = new(WriteFlags.BufferHint);

    public static async Task WriteAllAsync<T>(IServerStreamWriter<T> stream, IEnumerable<T> items, CancellationToken cancellationToken)
    {
        var count = 0;
        var original = stream.WriteOptions;
        foreach (var item in items)
        {
            stream.WriteOptions = ++count % _flushEvery == 0 ? original : _buffered;
            try
            {
                await stream.WriteAsync(item, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException) when (cancellationToken.IsCancellationRequested)
            {
                throw ClientWentAway();
            }
        }

        stream.WriteOptions = original;
    }

    /// <summary>
    /// What a server stream ends with when its client reset it while a message was being written (it read what it
    /// needed and stopped, e.g. the first match of a glob): Grpc.AspNetCore then refuses the write with
    /// InvalidOperationException, which it would log as a server error with a stack trace. pachd answers Cancelled.
    /// </summary>
    public static RpcException ClientWentAway() => new(new Status(StatusCode.Cancelled, "the client cancelled the stream"));
}
