using System.Runtime.ExceptionServices;

namespace LocalPachd.Storage;

/// <summary>
/// Makes renames and directory creations below one root durable, batching the directory fsyncs. A rename into a
/// directory, or the creation of a directory, only marks the directory whose entries changed dirty (with a sequence
/// number). A writer calls <see cref="Sync"/> with the directories its files live in just before its metadata
/// commits; that fsyncs each of them and their ancestors up to the root, but only those with changes no earlier
/// fsync covered. So a stream whose chunks share a directory pays one fsync for it, a writer that only reuses
/// existing chunks pays none once their directories are clean, and the fsyncs of a new fan-out directory and its
/// parent run together with the rename's (on a journaling file system the first one commits all three).
/// </summary>
/// <remarks>
/// <see cref="EnsureDirectory"/> and the rename that <see cref="Renamed"/> records must be serialized by the caller
/// (the chunk store holds its lock): the parent is marked dirty right after a directory is created and before anyone
/// else can rename into it, so whoever syncs that rename also finds the parent dirty.
/// </remarks>
internal sealed class DirectorySync
{
    private const int _maxConcurrentSyncs = 8;

    private readonly IFileSync _sync;
    private readonly string _root;
    private readonly bool _enabled;
    private readonly Dictionary<string, long> _dirty = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _sequence;

    public DirectorySync(IFileSync sync, string root, bool enabled)
    {
        _sync = sync;
        _root = Path.TrimEndingDirectorySeparator(root);
        _enabled = enabled;
    }

    /// <summary>Creates <paramref name="directory"/> and missing parents below the root; each parent becomes dirty.</summary>
    public void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        var parent = Path.GetDirectoryName(directory)!;
        EnsureDirectory(parent);
        Directory.CreateDirectory(directory);
        Renamed(parent);
    }

    /// <summary>Records that an entry of <paramref name="directory"/> changed; durable after the next <see cref="Sync"/> of it.</summary>
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

    /// <summary>
    /// Returns once every change recorded so far in these directories and their ancestors up to the root is on
    /// stable storage. Returns how many directories it fsync'd.
    /// </summary>
    public int Sync(IEnumerable<string> directories)
    {
        var dirty = new List<(string Directory, long Covered)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var leaf in directories)
            {
                for (var directory = leaf; directory is not null && seen.Add(directory); directory = Parent(directory))
                {
                    if (_dirty.TryGetValue(directory, out var covered))
                    {
                        dirty.Add((directory, covered));
                    }
                }
            }
        }

        // Another writer may be syncing the same directory right now; syncing it again is redundant but safe,
        // whereas returning before its fsync has finished would not be. Several directories are synced concurrently:
        // their fsyncs then share journal commits and device flushes (16 at once took about half the time of 16 in
        // a row on ext4).
        if (dirty.Count == 1)
        {
            _sync.SyncDirectory(dirty[0].Directory);
        }
        else if (dirty.Count > 1)
        {
            try
            {
                Parallel.ForEach(dirty, new ParallelOptions { MaxDegreeOfParallelism = _maxConcurrentSyncs }, d => _sync.SyncDirectory(d.Directory));
            }
            catch (AggregateException ex)
            {
                ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
            }
        }

        lock (_lock)
        {
            foreach (var (directory, covered) in dirty)
            {
                if (_dirty.TryGetValue(directory, out var latest) && latest == covered)
                {
                    _dirty.Remove(directory);
                }
            }
        }

        return dirty.Count;
    }

    private string? Parent(string directory) =>
        directory.Length <= _root.Length ? null : Path.GetDirectoryName(directory);
}
