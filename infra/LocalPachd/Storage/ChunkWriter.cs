using System.Security.Cryptography;

namespace LocalPachd.Storage;

/// <summary>
/// Streams incoming bytes into fixed-size chunk files, hashing as it writes, so memory stays flat whatever the
/// file size. Sealing a chunk (fsync, rename into place) runs in the background while the next chunk is being
/// received, with a small bound on chunks in flight. Every chunk it publishes is pending in the
/// <see cref="ChunkStore"/> until the owner releases it; call <see cref="DrainAsync"/> before releasing, and
/// <see cref="SyncDirectories"/> before committing metadata that refers to the chunks (the renames are only
/// durable once their directories are fsync'd; doing that once per stream batches it).
/// A chunk smaller than the inline threshold never touches the disk here: its bytes stay in memory (bounded per
/// stream) and are stored in the metadata database with the commit, which makes small writes cheap.
/// </summary>
internal sealed class ChunkWriter : IDisposable
{
    private const int _maxSealsInFlight = 4;

    private readonly ChunkStore _store;
    private readonly int _chunkSize;
    private readonly int _inlineThreshold;
    private readonly long _maxInlineBytes;
    private readonly Dictionary<Hash256, byte[]> _inline = [];
    private long _inlineBytes;
    private byte[]? _small;
    private int _smallLength;
    private readonly List<Task<ChunkRef>> _sealing = [];
    private readonly List<Hash256> _published = [];
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private FileStream? _current;
    private string? _currentPath;
    private long _currentSize;

    public ChunkWriter(ChunkStore store, int chunkSize, int inlineThreshold = 0, long maxInlineBytes = 0)
    {
        _store = store;
        _chunkSize = chunkSize;
        _inlineThreshold = Math.Min(inlineThreshold, chunkSize);
        _maxInlineBytes = maxInlineBytes;
    }

    /// <summary>Small chunks kept in memory, to be stored inline in the metadata database.</summary>
    public IReadOnlyDictionary<Hash256, byte[]> InlineChunks => _inline;

    /// <summary>Every chunk this writer published (pending until released by the owner).</summary>
    public IReadOnlyList<Hash256> Published
    {
        get
        {
            lock (_published)
            {
                return [.. _published];
            }
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_current is null && _inlineThreshold > 0 && _inlineBytes + _smallLength + data.Length < _maxInlineBytes)
        {
            if (_smallLength + data.Length < _inlineThreshold)
            {
                _small ??= System.Buffers.ArrayPool<byte>.Shared.Rent(_inlineThreshold);
                data.Span.CopyTo(_small.AsSpan(_smallLength));
                _smallLength += data.Length;
                return;
            }
        }

        if (_smallLength > 0)
        {
            // Too big to stay inline after all: what was buffered goes to the chunk file first.
            var buffered = _small!.AsMemory(0, _smallLength);
            _smallLength = 0;
            await WriteToFileAsync(buffered, cancellationToken).ConfigureAwait(false);
        }

        await WriteToFileAsync(data, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteToFileAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
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

        var chunks = await Task.WhenAll(_sealing).ConfigureAwait(false);
        _sealing.Clear();
        if (_smallLength > 0)
        {
            var bytes = _small.AsSpan(0, _smallLength).ToArray();
            _smallLength = 0;
            var hash = Hash256.Compute(bytes);
            if (_inline.TryAdd(hash, bytes))
            {
                _inlineBytes += bytes.Length;
            }

            return [.. chunks, new ChunkRef(hash, bytes.Length)];
        }

        return chunks;
    }

    /// <summary>
    /// Makes the renames of every chunk published so far durable: one fsync per directory (or new parent directory)
    /// with changes no earlier fsync covered. Call after the last <see cref="CompleteFileAsync"/> and before the
    /// metadata commit.
    /// </summary>
    public void SyncDirectories()
    {
        string[] directories;
        lock (_published)
        {
            directories = [.. _directories];
        }

        _store.SyncDirectories(directories);
    }

    /// <summary>Waits for every background seal, successful or not, so <see cref="Published"/> is final.</summary>
    public async Task DrainAsync()
    {
        foreach (var task in _sealing)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The seal failed; its temp file is dealt with by the seal itself or at the next start.
            }
        }

        _sealing.Clear();
    }

    private async ValueTask SealAsync(CancellationToken cancellationToken)
    {
        var stream = _current!;
        var path = _currentPath!;
        var size = _currentSize;
        _current = null;
        _currentPath = null;
        try
        {
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            File.Delete(path);
            throw;
        }

        Span<byte> digest = stackalloc byte[Hash256.Size];
        _hash.GetHashAndReset(digest);
        var hash = Hash256.FromSpan(digest);
        _sealing.Add(Task.Run(() =>
        {
            try
            {
                if (_store.Durable)
                {
                    // The chunk must be durable before any metadata that refers to it commits.
                    _store.FileSync.SyncFile(stream);
                }
            }
            finally
            {
                stream.Dispose();
            }

            var directory = _store.Publish(path, hash);
            lock (_published)
            {
                _published.Add(hash);
                _directories.Add(directory);
            }

            return new ChunkRef(hash, size);
        }, CancellationToken.None));

        var inFlight = 0;
        Task<ChunkRef>? oldest = null;
        foreach (var task in _sealing)
        {
            if (!task.IsCompleted)
            {
                oldest ??= task;
                inFlight++;
            }
        }

        if (inFlight > _maxSealsInFlight && oldest is not null)
        {
            await oldest.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
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
        if (_small is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(_small);
            _small = null;
        }
    }
}
