using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace LocalPachd.Storage;

/// <summary>
/// The SQLite metadata database (WAL; synchronous=FULL by default, so a committed transaction survives a power
/// loss; with NORMAL it survives a process crash, and after a power loss the last transactions may roll back but
/// the database stays consistent).
/// Reads use pooled connections concurrently; writes are serialized in-process by <see cref="WriteLock"/>.
/// </summary>
internal sealed class MetadataDb : IDisposable
{
    private const string _schema = """
        CREATE TABLE IF NOT EXISTS projects(
            name TEXT PRIMARY KEY, description TEXT NOT NULL, created INTEGER NOT NULL, created_by TEXT);
        CREATE TABLE IF NOT EXISTS repos(
            id INTEGER PRIMARY KEY, project TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
            description TEXT NOT NULL, created INTEGER NOT NULL, owner TEXT, UNIQUE(project, name, type));
        CREATE TABLE IF NOT EXISTS commits(
            repo_id INTEGER NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, parent TEXT,
            description TEXT NOT NULL, started INTEGER NOT NULL, finishing INTEGER, finished INTEGER,
            root BLOB, size INTEGER NOT NULL, error TEXT NOT NULL, created_by TEXT,
            PRIMARY KEY(repo_id, id));
        DROP INDEX IF EXISTS commits_by_parent;
        CREATE INDEX IF NOT EXISTS commits_by_parent_seq ON commits(repo_id, parent, seq);
        CREATE INDEX IF NOT EXISTS commits_by_seq ON commits(repo_id, seq);
        CREATE TABLE IF NOT EXISTS branches(
            repo_id INTEGER NOT NULL, name TEXT NOT NULL, head TEXT NOT NULL,
            created INTEGER NOT NULL, updated INTEGER NOT NULL, created_by TEXT, PRIMARY KEY(repo_id, name));
        CREATE TABLE IF NOT EXISTS nodes(id BLOB PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS contents(id BLOB PRIMARY KEY, size INTEGER NOT NULL, chunks BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS chunks(hash BLOB PRIMARY KEY, size INTEGER NOT NULL, data BLOB);
        CREATE TABLE IF NOT EXISTS auth_state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS tokens(hash BLOB PRIMARY KEY, subject TEXT NOT NULL, expires INTEGER);
        """;

    /// <summary>Idle connections kept open at most (more than the concurrent reads and writes of a busy gateway).</summary>
    private const int _maxIdle = 16;

    /// <summary>
    /// SQLite's page cache per connection, in KiB (its default is 2,000). Each pooled connection keeps its own, so the
    /// default cost the embedding gateway about 50 MiB of RSS after 12,000 small requests (243 -> 196 MiB); pages it
    /// no longer holds are read back from the OS's page cache, and tree nodes have their own cache above this one.
    /// </summary>
    public const int PageCacheKiB = 256;

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly ConcurrentStack<MetadataConnection> _idle = new();
    private volatile bool _disposed;

    public MetadataDb(string dataDirectory, MetadataSynchronous synchronous = MetadataSynchronous.Full)
    {
        // synchronous and cache_size are per-connection settings: every connection this class opens gets them.
        _pragmas = synchronous switch
        {
            MetadataSynchronous.Full => "PRAGMA synchronous=FULL;",
            MetadataSynchronous.Normal => "PRAGMA synchronous=NORMAL;",
            _ => throw new ArgumentOutOfRangeException(nameof(synchronous)),
        } + $" PRAGMA busy_timeout=10000; PRAGMA cache_size=-{PageCacheKiB};";
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "localpachd.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();

        using var connection = Open();
        connection.Execute("PRAGMA journal_mode=WAL;");
        connection.Execute(_schema);
    }

    /// <summary>Serializes every write transaction of this process.</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    /// <summary>
    /// An open connection with this database's pragmas: an idle one when there is one. Dispose it when done; it comes
    /// back (<see cref="MetadataConnection"/>) unless it still holds a transaction.
    /// </summary>
    public SqliteConnection Open()
    {
        while (_idle.TryPop(out var idle))
        {
            idle.Idle = false;
            if (idle.IsReusable)
            {
                return idle;
            }

            idle.Release();
        }

        var connection = new MetadataConnection(this, _connectionString);
        try
        {
            connection.Open();
            connection.Execute(_pragmas);
        }
        catch
        {
            connection.Release();
            throw;
        }

        return connection;
    }

    /// <summary>Takes back a connection its user disposed, if it is fit for the next user and there is room.</summary>
    internal bool TryKeep(MetadataConnection connection)
    {
        if (_disposed || _idle.Count >= _maxIdle || !connection.IsReusable)
        {
            return false;
        }

        connection.Idle = true;
        _idle.Push(connection);
        if (_disposed)
        {
            // Disposed meanwhile: close what Dispose may have missed.
            CloseIdle();
        }

        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        CloseIdle();
        WriteLock.Dispose();
        // Close this database's pooled connections (and only those) so the directory can be removed or reopened.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private void CloseIdle()
    {
        while (_idle.TryPop(out var idle))
        {
            idle.Idle = false;
            idle.Release();
        }
    }
}
