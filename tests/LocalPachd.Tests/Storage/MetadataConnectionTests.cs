using LocalPachd.Storage;

namespace LocalPachd.Tests.Storage;

/// <summary>
/// <see cref="MetadataDb"/> keeps disposed connections open for the next user (<see cref="MetadataConnection"/>),
/// with their statements prepared: never one that still holds a transaction, never one connection for two users.
/// </summary>
public sealed class MetadataConnectionTests : IDisposable
{
    private readonly string _directory = TestServer.NewDirectory();
    private readonly MetadataDb _db;

    public MetadataConnectionTests()
    {
        Directory.CreateDirectory(_directory);
        _db = new MetadataDb(_directory, MetadataSynchronous.Normal);
    }

    [Fact]
    public void DisposedConnectionIsReusedWithItsSettings()
    {
        var first = _db.Open();
        first.Dispose();

        using var second = _db.Open();

        Assert.Same(first, second);
        Assert.Equal(1L, (long)second.Scalar("PRAGMA synchronous")!);
    }

    [Fact]
    public void ConnectionDisposedInsideATransactionIsNotKept()
    {
        var inTransaction = _db.Open();
        inTransaction.Execute("BEGIN");
        inTransaction.Execute("ROLLBACK");
        inTransaction.Execute("BEGIN");
        inTransaction.Dispose();

        // Closed, as before connections were kept (what then happens to its transaction is SQLite's pool's affair).
        Assert.Equal(System.Data.ConnectionState.Closed, inTransaction.State);
    }

    [Fact]
    public void DisposingTwiceHandsTheConnectionOutOnce()
    {
        var connection = _db.Open();
        connection.Dispose();
        connection.Dispose();

        using var first = _db.Open();
        using var second = _db.Open();

        Assert.NotSame(first, second);
    }

    [Fact]
    public void PreparedStatementsTakeNewParametersAndNest()
    {
        using var connection = _db.Open();
        connection.Execute("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)");
        for (var i = 0; i < 5; i++)
        {
            connection.Execute("INSERT INTO t(k, v) VALUES ($k, $v)", ("$k", i), ("$v", $"v{i}"));
        }

        // A parameter object that held text takes null, then a blob: each run binds its own value's type.
        connection.Execute("INSERT INTO t(k, v) VALUES ($k, $v)", ("$k", 10), ("$v", null));
        connection.Execute("INSERT INTO t(k, v) VALUES ($k, $v)", ("$k", 11), ("$v", new byte[] { 1, 2 }));
        Assert.Null(connection.Scalar("SELECT v FROM t WHERE k = $k", ("$k", 10)));
        Assert.Equal(new byte[] { 1, 2 }, connection.Scalar("SELECT v FROM t WHERE k = $k", ("$k", 11)));

        const string byKey = "SELECT v FROM t WHERE k = $k";
        Assert.Equal("v3", connection.Scalar(byKey, ("$k", 3)));
        Assert.Equal("v1", connection.Scalar(byKey, ("$k", 1)));
        Assert.Null(connection.Scalar(byKey, ("$k", 9)));

        // The same statement inside the rows of another run of it gets a command of its own.
        var pairs = connection.Query("SELECT k FROM t WHERE k < $n ORDER BY k", r => (string)connection.Query("SELECT k FROM t WHERE k < $n ORDER BY k", _ => "x", ("$n", 2)).Aggregate(r.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture), (a, b) => a + b), ("$n", 3));
        Assert.Equal(["0xx", "1xx", "2xx"], pairs);
    }

    [Fact]
    public void AReadLeftAfterOneRowHoldsNoSnapshot()
    {
        using (var setup = _db.Open())
        {
            setup.Execute("CREATE TABLE t(k INTEGER PRIMARY KEY)");
            for (var i = 0; i < 100; i++)
            {
                setup.Execute("INSERT INTO t(k) VALUES ($k)", ("$k", i));
            }
        }

        using var reader = _db.Open();
        Assert.NotNull(reader.QuerySingle("SELECT k FROM t ORDER BY k", r => (object)r.GetInt64(0)));

        // A statement still stepping would pin the WAL: a TRUNCATE checkpoint would report itself blocked (busy = 1).
        using var writer = _db.Open();
        writer.Execute("INSERT INTO t(k) VALUES (1000)");
        var busy = writer.QuerySingle("PRAGMA wal_checkpoint(TRUNCATE)", r => (object)r.GetInt64(0));
        Assert.Equal(0L, busy);
    }

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
