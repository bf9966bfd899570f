using System.Collections.Concurrent;
using LocalPachd.Storage;

namespace LocalPachd.Tests;

/// <summary>
/// An <see cref="IFileSync"/> that performs nothing and records, for every directory sync, the entries the
/// directory held at that moment: exactly the entries that sync made durable.
/// </summary>
internal sealed class RecordingFileSync : IFileSync
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _durable = new(StringComparer.Ordinal);
    private int _directorySyncs;
    private int _fileSyncs;

    public int DirectorySyncs => Volatile.Read(ref _directorySyncs);

    public int FileSyncs => Volatile.Read(ref _fileSyncs);

    public void SyncFile(FileStream stream) => Interlocked.Increment(ref _fileSyncs);

    public void SyncDirectory(string path)
    {
        Interlocked.Increment(ref _directorySyncs);
        var entries = _durable.GetOrAdd(Path.GetFullPath(path), _ => new(StringComparer.Ordinal));
        foreach (var entry in Directory.EnumerateFileSystemEntries(path))
        {
            entries.TryAdd(Path.GetFileName(entry), 0);
        }
    }

    public void SyncFileSystem(string path)
    {
    }

    /// <summary>Whether a directory sync has covered <paramref name="path"/>'s entry in its parent directory.</summary>
    public bool IsDurable(string path) =>
        _durable.TryGetValue(Path.GetDirectoryName(Path.GetFullPath(path))!, out var entries) && entries.ContainsKey(Path.GetFileName(path));
}
