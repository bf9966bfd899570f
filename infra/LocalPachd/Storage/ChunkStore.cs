namespace LocalPachd.Storage;

/// <summary>
/// Chunk files on disk, named by the SHA-256 of their bytes under a two-level fan-out
/// (<c>chunks/ab/cd/abcd…</c>). A chunk is written to <c>tmp/</c>, fsync'd, then renamed into place, so a chunk
/// file that exists is always complete; the rename is made durable by <see cref="SyncDirectories"/> before the
/// metadata referring to it commits. Chunks written by a ModifyFile stream that has not been applied yet are
/// "pending": they are protected from deletion until the stream commits (the metadata row then protects them)
/// or aborts (they are deleted unless something else refers to them).
/// </summary>
/// <remarks>
/// Deleting a chunk must not race a read. A reader resolves a file to its chunks in a metadata snapshot and opens
/// the chunk files afterwards, so a collection that commits in between would delete a file the reader is about to
/// open. Readers therefore hold a <see cref="ReadLease"/> stamped with the current reader generation, taken before
/// their snapshot. A collection bumps the generation after its metadata commit and retires its dead chunks at the
/// new generation; a retired chunk file is deleted only once no lease older than that generation is left (when the
/// last such reader ends, or at once when there is none). A reader that started after the bump read a snapshot
/// in which the chunk is already unreferenced, so it cannot need it. A retired chunk that a new stream publishes
/// again is un-retired, since the metadata will refer to it once more.
/// </remarks>
internal sealed class ChunkStore
{
    private readonly string _chunkRoot;
    private readonly string _tempRoot;
    private readonly DirectorySync _directories;
    private readonly Dictionary<Hash256, int> _pending = [];
    private readonly Dictionary<long, int> _readers = [];
    private readonly Dictionary<Hash256, long> _retired = [];
    private readonly Queue<(long Generation, Hash256 Hash)> _retiredOrder = new();
    private readonly Lock _lock = new();
    private long _generation;

    public ChunkStore(string dataDirectory, IFileSync? sync = null, bool durable = true)
    {
        _chunkRoot = Path.Combine(dataDirectory, "chunks");
        _tempRoot = Path.Combine(dataDirectory, "tmp");
        Directory.CreateDirectory(_chunkRoot);
        Directory.CreateDirectory(_tempRoot);
        FileSync = sync ?? SystemFileSync.Instance;
        Durable = durable;
        _directories = new DirectorySync(FileSync, _chunkRoot, durable);
    }

    public string ChunkRoot => _chunkRoot;

    /// <summary>The durability primitives (fsync of files and directories).</summary>
    public IFileSync FileSync { get; }

    /// <summary>Whether chunk files and their directories are fsync'd before the metadata that refers to them commits.</summary>
    public bool Durable { get; }

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

    /// <summary>
    /// Moves a finished, fsync'd temp file into place (or drops it when the chunk already exists) and marks it
    /// pending. Returns the directory holding the chunk: the caller passes it to <see cref="SyncDirectories"/>
    /// before it commits metadata that refers to the chunk.
    /// </summary>
    public string Publish(string tempPath, Hash256 hash)
    {
        var target = PathOf(hash);
        var directory = Path.GetDirectoryName(target)!;
        lock (_lock)
        {
            _pending[hash] = _pending.TryGetValue(hash, out var n) ? n + 1 : 1;
            _retired.Remove(hash);
            if (File.Exists(target))
            {
                // The file may have been renamed by another stream whose directory sync has not run yet: the caller
                // still syncs the directory (a no-op when it is clean).
                File.Delete(tempPath);
                return directory;
            }

            _directories.EnsureDirectory(directory);
            File.Move(tempPath, target);
            _directories.Renamed(directory);
        }

        return directory;
    }

    /// <summary>
    /// Makes every rename into these chunk directories durable, and their own entries in their parents: one fsync per
    /// directory with changes no earlier fsync covered.
    /// </summary>
    public int SyncDirectories(IEnumerable<string> directories) => _directories.Sync(directories);

    /// <summary>
    /// Drops pending references. Chunks no longer pending and not known to the metadata (<paramref name="isReferenced"/>)
    /// are retired: that is how an aborted stream gives its space back.
    /// </summary>
    public void Release(IEnumerable<Hash256> hashes, Func<Hash256, bool>? isReferenced)
    {
        lock (_lock)
        {
            var released = new List<Hash256>();
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
                    released.Add(hash);
                }
            }

            // A reader of an older snapshot may still refer to the chunk (if a collection unreferenced it before
            // this stream published it again): retire it at the current generation rather than deleting it.
            RetireLocked(released, _generation);
        }
    }

    /// <summary>
    /// Retires chunk files a collection found unreferenced (after its metadata commit). Each is deleted once no
    /// reader that might still see it is left; chunks a live stream holds are skipped. Returns how many files were
    /// deleted at once.
    /// </summary>
    public long Retire(IEnumerable<Hash256> hashes)
    {
        lock (_lock)
        {
            _generation++;
            return RetireLocked(hashes, _generation);
        }
    }

    /// <summary>Chunk files retired but not yet deleted because a reader of an older snapshot is still running.</summary>
    public int RetiredCount
    {
        get
        {
            lock (_lock)
            {
                return _retired.Count;
            }
        }
    }

    /// <summary>Registers a reader; take it before opening the metadata snapshot the reader resolves chunks from.</summary>
    public ReadLease BeginRead()
    {
        lock (_lock)
        {
            var generation = _generation;
            _readers[generation] = _readers.TryGetValue(generation, out var n) ? n + 1 : 1;
            return new ReadLease(this, generation);
        }
    }

    private void EndRead(long generation)
    {
        lock (_lock)
        {
            var n = _readers[generation];
            if (n > 1)
            {
                _readers[generation] = n - 1;
                return;
            }

            _readers.Remove(generation);
            DeleteRetiredLocked();
        }
    }

    private long RetireLocked(IEnumerable<Hash256> hashes, long generation)
    {
        foreach (var hash in hashes)
        {
            if (!_pending.ContainsKey(hash))
            {
                _retired[hash] = generation;
                _retiredOrder.Enqueue((generation, hash));
            }
        }

        return DeleteRetiredLocked();
    }

    /// <summary>Deletes retired chunks that no remaining reader can refer to (retired at or before the oldest lease).</summary>
    private long DeleteRetiredLocked()
    {
        var oldestReader = long.MaxValue;
        foreach (var generation in _readers.Keys)
        {
            oldestReader = Math.Min(oldestReader, generation);
        }

        long deleted = 0;
        while (_retiredOrder.TryPeek(out var next) && next.Generation <= oldestReader)
        {
            _retiredOrder.Dequeue();

            // Skip entries superseded by a later retirement or undone by a new publication.
            if (_retired.TryGetValue(next.Hash, out var generation) && generation == next.Generation)
            {
                _retired.Remove(next.Hash);
                if (!_pending.ContainsKey(next.Hash) && TryDelete(PathOf(next.Hash)))
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

    /// <summary>A running reader's hold on the chunks of the snapshots it may read; dispose when the read ends.</summary>
    public sealed class ReadLease : IDisposable
    {
        private ChunkStore? _store;

        internal ReadLease(ChunkStore store, long generation)
        {
            _store = store;
            Generation = generation;
        }

        public long Generation { get; }

        public void Dispose() => Interlocked.Exchange(ref _store, null)?.EndRead(Generation);
    }
}
