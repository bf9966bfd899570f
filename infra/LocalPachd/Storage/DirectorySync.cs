namespace LocalPachd.Storage;

/// <summary>
/// Makes renames and directory creations durable, batching the directory fsyncs. A rename only marks its
/// directory dirty (with a sequence number); a writer calls <see cref="Sync"/> with the directories its chunks live
/// in just before its metadata commits, and a directory is fsync'd only if a rename into it is not yet covered by
/// an earlier fsync. So a stream whose chunks land in the same directory pays one fsync, and a writer that only
/// reuses existing chunks pays none once their directories are clean. A directory that is created is made durable
/// at once (its parent is fsync'd): that happens at most once per fan-out directory in the life of a store.
/// </summary>
internal sealed class DirectorySync
{
    private readonly IFileSync _sync;
    private readonly bool _enabled;
    private readonly Dictionary<string, long> _dirty = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _sequence;

    public DirectorySync(IFileSync sync, bool enabled)
    {
        _sync = sync;
        _enabled = enabled;
    }

    /// <summary>
    /// Creates <paramref name="directory"/> (and missing parents), each durably, below an existing root. Callers
    /// serialize calls (the chunk store holds its lock), so no one renames into a directory whose own entry is not
    /// yet durable.
    /// </summary>
    public void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        var parent = Path.GetDirectoryName(directory)!;
        EnsureDirectory(parent);
        Directory.CreateDirectory(directory);
        if (_enabled)
        {
            _sync.SyncDirectory(parent);
        }
    }

    /// <summary>Records that an entry was renamed into <paramref name="directory"/>; durable after the next <see cref="Sync"/> of it.</summary>
    public void Renamed(string directory)
    {
        if (!_enabled)
        {
            return;
        }

        lock (_lock)
        {
            _dirty[directory] = ++_sequence;
        }
    }

    /// <summary>Returns once every rename into these directories recorded so far is on stable storage.</summary>
    public int Sync(IEnumerable<string> directories)
    {
        var synced = 0;
        foreach (var directory in directories)
        {
            long covered;
            lock (_lock)
            {
                if (!_dirty.TryGetValue(directory, out covered))
                {
                    continue;
                }
            }

            // Another writer may be syncing the same directory right now; syncing it again is redundant but safe,
            // whereas returning before its fsync has finished would not be.
            _sync.SyncDirectory(directory);
            synced++;
            lock (_lock)
            {
                if (_dirty.TryGetValue(directory, out var latest) && latest == covered)
                {
                    _dirty.Remove(directory);
                }
            }
        }

        return synced;
    }
}
