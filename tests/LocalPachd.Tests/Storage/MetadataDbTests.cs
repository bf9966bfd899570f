using LocalPachd.Storage;
using static LocalPachd.Tests.TestServer;

namespace LocalPachd.Tests.Storage;

public sealed class MetadataDbTests
{
    [Theory]
    [InlineData(null, 2L)]
    [InlineData(MetadataSynchronous.Full, 2L)]
    [InlineData(MetadataSynchronous.Normal, 1L)]
    public async Task Synchronous_Option_ReachesEveryConnection_WithTheBoundedPageCache(MetadataSynchronous? setting, long expected)
    {
        await using var server = await StartAsync(configure: o =>
        {
            if (setting is { } s)
            {
                o.Synchronous = s;
            }
        });

        // Several connections at once: each is a different pooled connection, and each must carry the setting.
        using var first = server.Server.Store.Db.Open();
        using var second = server.Server.Store.Db.Open();
        Assert.Equal(expected, (long)first.Scalar("PRAGMA synchronous")!);
        Assert.Equal(expected, (long)second.Scalar("PRAGMA synchronous")!);
        Assert.Equal("wal", (string)first.Scalar("PRAGMA journal_mode")!);
        Assert.Equal(-256L, (long)first.Scalar("PRAGMA cache_size")!); // a bounded page cache on every connection
        Assert.Equal(-256L, (long)second.Scalar("PRAGMA cache_size")!);
    }

    [Fact]
    public async Task ChildrenQuery_LargeHistory_SearchesByParentWithoutSorting()
    {
        await using var server = await StartAsync();
        using var connection = server.Server.Store.Db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + LocalPachd.Pfs.PfsStore.ChildrenQuery;
        command.Parameters.AddWithValue("$r", 1);
        command.Parameters.AddWithValue("$p", "parent");
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        // A scan of the repo's commits in seq order (what the planner chose with an index on (repo_id, parent) alone)
        // makes each listed commit cost the whole history.
        Assert.Equal(["SEARCH commits USING INDEX commits_by_parent_seq (repo_id=? AND parent=?)"], plan);
    }
}
