namespace LocalPachd.Storage;

/// <summary>
/// Chunk files on disk, named by the SHA-256 of their bytes under a two-level fan-out
/// (<c>chunks/ab/cd/abcd…</c>). A chunk is written to <c>tmp/</c>, fsync'd, then renamed into place, so a chunk
/// file that exists is always complete. Chunks written by a ModifyFile stream that has not been applied yet are
/// "pending": they are protected from deletion until the stream commits (the metadata row then protects them)
/// or aborts (they are deleted unless something else refers to them).
/// </summary>
internal sealed class ChunkStore
{
    private readonly string _chunkRoot;
    private readonly string _tempRoot;
    private readonly Dictionary<Hash256, int> _pending = [];
    private readonly Lock _lock = new();

    public ChunkStore(string dataDirectory)
    {
        _chunkRoot = Path.Combine(dataDirectory, "chunks");
        _tempRoot = Path.Combine(dataDirectory, "tmp");
        Directory.CreateDirectory(_chunkRoot);
        Directory.CreateDirectory(_tempRoot);
    }

    public string ChunkRoot => _chunkRoot;

    /// <summary>Removes temp files a crashed process left behind.</summary>
    public void CleanTemp()
    {
        foreach (var file in Directory.EnumerateFiles(_tempRoot))
        {
            File.Delete(file);
        }
    }

    public string NewTempPath() => Path.Combine(_tempRoot, Guid.NewGuid().ToString("N") + ".part");

    public string PathOf(Hash256 hash)
    {
        var hex = hash.ToHex();
        return Path.Combine(_chunkRoot, hex[..2], hex[2..4], hex);
    }

    /// <summary>Moves a finished, fsync'd temp file into place (or drops it when the chunk already exists) and marks it pending.</summary>
    public void Publish(string tempPath, Hash256 hash)
    {
        var target = PathOf(hash);
        lock (_lock)
        {
            _pending[hash] = _pending.TryGetValue(hash, out var n) ? n + 1 : 1;
            if (File.Exists(target))
            {
                File.Delete(tempPath);
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(tempPath, target);
        }
    }

    /// <summary>Marks extra pending references (e.g. chunks of an existing file the stream will reference).</summary>
    public void AddPending(IEnumerable<Hash256> hashes)
    {
        lock (_lock)
        {
            foreach (var hash in hashes)
            {
                _pending[hash] = _pending.TryGetValue(hash, out var n) ? n + 1 : 1;
            }
        }
    }

    /// <summary>
    /// Drops pending references. Chunks no longer pending and not known to the metadata (<paramref name="isReferenced"/>)
    /// are deleted: that is how an aborted stream gives its space back.
    /// </summary>
    public void Release(IEnumerable<Hash256> hashes, Func<Hash256, bool>? isReferenced)
    {
        lock (_lock)
        {
            foreach (var hash in hashes)
            {
                if (!_pending.TryGetValue(hash, out var n))
                {
                    continue;
                }

                if (n > 1)
                {
                    _pending[hash] = n - 1;
                    continue;
                }

                _pending.Remove(hash);
                if (isReferenced is not null && !isReferenced(hash))
                {
                    TryDelete(PathOf(hash));
                }
            }
        }
    }

    /// <summary>Deletes chunk files the collector found unreferenced, skipping any a live stream still holds.</summary>
    public long DeleteUnreferenced(IEnumerable<Hash256> hashes)
    {
        long deleted = 0;
        lock (_lock)
        {
            foreach (var hash in hashes)
            {
                if (!_pending.ContainsKey(hash) && TryDelete(PathOf(hash)))
                {
                    deleted++;
                }
            }
        }

        return deleted;
    }

    /// <summary>Every chunk file on disk (used at start-up to remove files whose metadata never committed).</summary>
    public IEnumerable<Hash256> EnumerateOnDisk()
    {
        foreach (var file in Directory.EnumerateFiles(_chunkRoot, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.Length == 64 && IsHex(name))
            {
                yield return Hash256.FromHex(name);
            }
        }
    }

    public FileStream OpenRead(Hash256 hash) =>
        new(PathOf(hash), new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read | FileShare.Delete, BufferSize = 0 });

    private static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool IsHex(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
