using Microsoft.Data.Sqlite;

namespace LocalPachd.Storage;

/// <summary>
/// One serialized write transaction: holds the in-process write lock and a BEGIN IMMEDIATE transaction;
/// rolls back on dispose unless committed.
/// </summary>
internal sealed class WriteScope : IDisposable
{
    private readonly MetadataDb _db;
    private bool _committed;

    private WriteScope(MetadataDb db, SqliteConnection connection)
    {
        _db = db;
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    public static async Task<WriteScope> BeginAsync(MetadataDb db, CancellationToken cancellationToken)
    {
        await db.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection? connection = null;
        try
        {
            connection = db.Open();
            connection.Execute("BEGIN IMMEDIATE");
            return new WriteScope(db, connection);
        }
        catch
        {
            connection?.Dispose();
            db.WriteLock.Release();
            throw;
        }
    }

    public void Commit()
    {
        Connection.Execute("COMMIT");
        _committed = true;
    }

    public void Dispose()
    {
        try
        {
            if (!_committed)
            {
                Connection.Execute("ROLLBACK");
            }
        }
        finally
        {
            Connection.Dispose();
            _db.WriteLock.Release();
        }
    }
}
