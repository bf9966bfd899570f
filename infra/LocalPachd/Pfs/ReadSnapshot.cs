using LocalPachd.Storage;
using Microsoft.Data.Sqlite;

namespace LocalPachd.Pfs;

/// <summary>
/// A connection holding one read transaction, plus a chunk read lease taken before it. Every query of a read
/// (resolving the commit, walking the tree, loading contents and inline chunks) then sees the same snapshot even if
/// a collection commits meanwhile, and the chunk files that snapshot refers to stay on disk until the read ends
/// (see <see cref="ChunkStore"/>).
/// </summary>
internal sealed class ReadSnapshot : IDisposable
{
    private readonly ChunkStore.ReadLease _lease;

    private ReadSnapshot(ChunkStore.ReadLease lease, SqliteConnection connection)
    {
        _lease = lease;
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    public static ReadSnapshot Open(PfsStore store)
    {
        // The lease first: a collection that commits before the snapshot is taken then still spares our chunks.
        var lease = store.Chunks.BeginRead();
        SqliteConnection? connection = null;
        try
        {
            connection = store.Db.Open();
            connection.Execute("BEGIN");
            return new ReadSnapshot(lease, connection);
        }
        catch
        {
            connection?.Dispose();
            lease.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            // Never hand a pooled connection back with an open transaction.
            Connection.Execute("ROLLBACK");
        }
        finally
        {
            Connection.Dispose();
            _lease.Dispose();
        }
    }
}
