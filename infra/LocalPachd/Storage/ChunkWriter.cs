using System.Security.Cryptography;

namespace LocalPachd.Storage;

/// <summary>
/// Streams incoming bytes into fixed-size chunk files (hashing as it writes, so memory stays flat whatever the
/// file size). Every chunk it publishes is pending in the <see cref="ChunkStore"/> until the owner releases it.
/// </summary>
internal sealed class ChunkWriter : IDisposable
{
    private readonly ChunkStore _store;
    private readonly int _chunkSize;
    private readonly bool _fsync;
    private readonly List<ChunkRef> _fileChunks = [];
    private readonly List<Hash256> _published = [];
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private FileStream? _current;
    private string? _currentPath;
    private long _currentSize;

    public ChunkWriter(ChunkStore store, int chunkSize, bool fsync)
    {
        _store = store;
        _chunkSize = chunkSize;
        _fsync = fsync;
    }

    /// <summary>Every chunk this writer published (pending until released by the owner).</summary>
    public IReadOnlyList<Hash256> Published => _published;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            if (_current is null)
            {
                _currentPath = _store.NewTempPath();
                _current = new FileStream(_currentPath, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    Share = FileShare.None,
                    BufferSize = 64 * 1024,
                    Options = FileOptions.Asynchronous,
                });
                _currentSize = 0;
            }

            var take = (int)Math.Min(data.Length, _chunkSize - _currentSize);
            var slice = data[..take];
            _hash.AppendData(slice.Span);
            await _current.WriteAsync(slice, cancellationToken).ConfigureAwait(false);
            _currentSize += take;
            data = data[take..];
            if (_currentSize == _chunkSize)
            {
                await SealAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Seals the partial chunk and returns the chunks of the file written since the last call.</summary>
    public async ValueTask<ChunkRef[]> CompleteFileAsync(CancellationToken cancellationToken)
    {
        if (_current is not null)
        {
            await SealAsync(cancellationToken).ConfigureAwait(false);
        }

        var chunks = _fileChunks.ToArray();
        _fileChunks.Clear();
        return chunks;
    }

    private async ValueTask SealAsync(CancellationToken cancellationToken)
    {
        var stream = _current!;
        var path = _currentPath!;
        _current = null;
        _currentPath = null;
        try
        {
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (_fsync)
            {
                // The chunk must be durable before any metadata that refers to it commits.
                stream.Flush(flushToDisk: true);
            }
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        Span<byte> digest = stackalloc byte[Hash256.Size];
        _hash.GetHashAndReset(digest);
        var hash = Hash256.FromSpan(digest);
        _store.Publish(path, hash);
        _published.Add(hash);
        _fileChunks.Add(new ChunkRef(hash, _currentSize));
    }

    public void Dispose()
    {
        if (_current is not null)
        {
            _current.Dispose();
            File.Delete(_currentPath!);
            _current = null;
        }

        _hash.Dispose();
    }
}
