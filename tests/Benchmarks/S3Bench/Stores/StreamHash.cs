using System.Buffers;
using System.IO.Hashing;

namespace Gateway.Benchmarks.S3Bench.Stores;

/// <summary>Reads a response stream to its end through a pooled 1 MiB buffer, hashing every byte.</summary>
internal static class StreamHash
{
    private const int _bufferSize = 1024 * 1024;

    public static async Task<(long Bytes, ulong Hash)> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        var hasher = new XxHash3();
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
        long total = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, _bufferSize), cancellationToken)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (total, hasher.GetCurrentHashAsUInt64());
    }
}
