using LocalPachd.Storage;
using static LocalPachd.Tests.TestServer;

namespace LocalPachd.Tests.Storage;

public sealed class MetadataDbTests
{
    [Theory]
    [InlineData(null, 2L)]
    [InlineData(MetadataSynchronous.Full, 2L)]
    [InlineData(MetadataSynchronous.Normal, 1L)]
    public async Task Synchronous_Option_ReachesEveryConnection(MetadataSynchronous? setting, long expected)
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
    }
}
