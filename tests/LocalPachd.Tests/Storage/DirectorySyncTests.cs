using LocalPachd.Storage;
using static LocalPachd.Tests.TestServer;

namespace LocalPachd.Tests.Storage;

public sealed class DirectorySyncTests
{
    [Fact]
    public async Task ModifyFile_Acknowledged_EveryRenameAndNewDirectoryIsCoveredByADirectorySync()
    {
        var sync = new RecordingFileSync();
        await using var server = await StartAsync(configure: o =>
        {
            o.ChunkSize = 64 * 1024;
            o.FileSync = sync;
        });
        await server.CreateRepoAsync("r");
        var chunkRoot = Path.Combine(server.DataDirectory, "chunks");

        for (var i = 0; i < 5; i++)
        {
            var bytes = new byte[(i + 1) * 70 * 1024];
            Random.Shared.NextBytes(bytes);
            await server.ModifyAsync(Head("r"), Add($"/f{i}", bytes), Add($"/copy{i}", bytes));

            // Acknowledged: every chunk file, and every fan-out directory holding one, must already be durable.
            var entries = Directory.EnumerateFileSystemEntries(chunkRoot, "*", SearchOption.AllDirectories).ToList();
            Assert.NotEmpty(entries);
            Assert.All(entries, entry => Assert.True(sync.IsDurable(entry), $"{entry} is not covered by a directory sync"));
        }

        Assert.True(sync.FileSyncs >= 15, $"{sync.FileSyncs} file syncs");
    }

    [Fact]
    public async Task ModifyFile_FsyncChunksOff_SyncsNothing()
    {
        var sync = new RecordingFileSync();
        await using var server = await StartAsync(configure: o =>
        {
            o.ChunkSize = 64 * 1024;
            o.FsyncChunks = false;
            o.FileSync = sync;
        });
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"), Add("/f", new byte[200 * 1024]));
        Assert.Equal(0, sync.FileSyncs);
        Assert.Equal(0, sync.DirectorySyncs);
    }

    [Fact]
    public void SyncDirectories_ManyRenamesIntoOneNewDirectory_OneFsyncPerChangedDirectory()
    {
        var directory = NewDirectory();
        try
        {
            var sync = new RecordingFileSync();
            var store = new ChunkStore(directory, sync);

            // Three chunks in the new fan-out directory ab/cd: nothing is synced until the writer asks.
            var first = PublishNew(store, "abcd01");
            var second = PublishNew(store, "abcd02");
            var third = PublishNew(store, "abcd03");
            Assert.Equal(first, second);
            Assert.Equal(first, third);
            Assert.Equal(0, sync.DirectorySyncs);

            // ab/cd (three renames), ab (cd created) and chunks/ (ab created): one fsync each.
            Assert.Equal(3, store.SyncDirectories([first, second, third]));
            Assert.Equal(3, sync.DirectorySyncs);
            Assert.All(Directory.EnumerateFiles(first), file => Assert.True(sync.IsDurable(file)));
            Assert.True(sync.IsDurable(first));
            Assert.True(sync.IsDurable(Path.GetDirectoryName(first)!));

            // Nothing changed since: a writer reusing an existing chunk pays no fsync.
            var again = store.Publish(WriteTemp(store), Hash256.FromHex("abcd01".PadRight(64, '0')));
            Assert.Equal(0, store.SyncDirectories([again]));

            // A rename into an existing directory: only that directory.
            var fourth = PublishNew(store, "abcd04");
            Assert.Equal(1, store.SyncDirectories([fourth]));
            Assert.Equal(4, sync.DirectorySyncs);
        }
        finally
        {
            TryDelete(directory);
        }
    }

    private static string PublishNew(ChunkStore store, string prefix) =>
        store.Publish(WriteTemp(store), Hash256.FromHex(prefix.PadRight(64, '0')));

    private static string WriteTemp(ChunkStore store)
    {
        var path = store.NewTempPath();
        System.IO.File.WriteAllBytes(path, [1, 2, 3]);
        return path;
    }
}
