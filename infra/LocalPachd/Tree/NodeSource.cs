using LocalPachd.Storage;
using Microsoft.Data.Sqlite;

namespace LocalPachd.Tree;

/// <summary>Loads nodes and file contents through one SQLite connection, using the shared node cache.</summary>
internal sealed class NodeSource
{
    private readonly NodeCache _cache;
    private readonly SqliteConnection _connection;

    public NodeSource(NodeCache cache, SqliteConnection connection)
    {
        _cache = cache;
        _connection = connection;
    }

    public SqliteConnection Connection => _connection;

    /// <summary>How many nodes this source had to read from the database (cache misses).</summary>
    public int DatabaseReads { get; private set; }

    /// <summary>How many nodes were asked for through this source (cache hits included).</summary>
    public int Loads { get; private set; }

    public TreeNode Load(Hash256 id)
    {
        Loads++;
        if (_cache.TryGet(id, out var node))
        {
            return node;
        }

        var data = _connection.Scalar("SELECT data FROM nodes WHERE id = $id", ("$id", id.ToArray())) as byte[]
            ?? throw new InvalidDataException($"tree node {id} is missing from the metadata database");
        DatabaseReads++;
        node = TreeNode.Decode(data);
        _cache.Add(id, node);
        return node;
    }

    public FileContent LoadContent(Hash256 id)
    {
        var data = _connection.Scalar("SELECT chunks FROM contents WHERE id = $id", ("$id", id.ToArray())) as byte[]
            ?? throw new InvalidDataException($"file content {id} is missing from the metadata database");
        return FileContent.Decode(data);
    }
}
