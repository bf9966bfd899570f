using System.Data;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LocalPachd.Storage;

/// <summary>
/// A connection of <see cref="MetadataDb"/> that outlives its users: disposing it hands it back to the database's idle
/// connections when it holds no transaction (<see cref="MetadataDb.TryKeep"/>), so its pragmas are set once and the
/// statements run through <see cref="SqliteExtensions"/> stay prepared for the next user, instead of a new command,
/// a new parse of the SQL and a new native statement for every query. A statement is taken out while it runs, so a
/// query run inside another one's rows gets a command of its own.
/// </summary>
internal sealed class MetadataConnection : SqliteConnection
{
    /// <summary>Prepared statements kept per connection (the SQL of LocalPachd is a fixed set, well below this).</summary>
    private const int _maxStatements = 128;

    private readonly MetadataDb _db;
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private bool _closing;

    public MetadataConnection(MetadataDb db, string connectionString)
        : base(connectionString)
    {
        _db = db;
    }

    /// <summary>True while the connection waits among the database's idle connections.</summary>
    internal bool Idle { get; set; }

    /// <summary>
    /// True when the connection is open and holds no transaction. (A statement holds no read of its own once its
    /// command has run: Microsoft.Data.Sqlite resets each statement when its reader is disposed.)
    /// </summary>
    internal bool IsReusable => State == ConnectionState.Open && Handle is { } db && raw.sqlite3_get_autocommit(db) != 0;

    /// <summary>
    /// The prepared command for <paramref name="sql"/> (one statement), taken out until <see cref="ReturnStatement"/>;
    /// null when it is in use, when the SQL holds several statements (each must be prepared after the one before it
    /// ran), or when it does not prepare (the caller's own command then reports the error as before).
    /// </summary>
    public SqliteCommand? TakeStatement(string sql)
    {
        if (_statements.Remove(sql, out var command))
        {
            return command;
        }

        if (_statements.Count >= _maxStatements || sql.AsSpan().TrimEnd().TrimEnd(';').Contains(';'))
        {
            return null;
        }

        command = CreateCommand();
        command.CommandText = sql;
        try
        {
            command.Prepare();
            return command;
        }
        catch (SqliteException)
        {
            command.Dispose();
            return null;
        }
    }

    /// <summary>Puts a command from <see cref="TakeStatement"/> back, its parameters kept but their values let go.</summary>
    public void ReturnStatement(string sql, SqliteCommand command)
    {
        var parameters = command.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            parameters[i].Value = DBNull.Value;
        }

        if (!_statements.TryAdd(sql, command))
        {
            command.Dispose();
        }
    }

    /// <summary>Closes the connection for good (its statements first).</summary>
    public void Release()
    {
        _closing = true;
        Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closing)
        {
            if (Idle)
            {
                // Disposed twice: it is back among the idle connections already.
                return;
            }

            if (_db.TryKeep(this))
            {
                return;
            }
        }

        if (disposing)
        {
            foreach (var command in _statements.Values)
            {
                command.Dispose();
            }

            _statements.Clear();
        }

        base.Dispose(disposing);
    }
}
