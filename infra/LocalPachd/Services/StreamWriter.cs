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
            await stream.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }

        stream.WriteOptions = original;
    }
}
