using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using LocalPachd.Storage;
using static LocalPachd.Tests.TestServer;

namespace LocalPachd.Tests.Storage;

public sealed class GcReadRaceTests
{
    private static int ChunkFileCount(string dataDirectory) =>
        Directory.EnumerateFiles(Path.Combine(dataDirectory, "chunks"), "*", SearchOption.AllDirectories).Count();

    [Theory]
    [InlineData(100, 0)] // one chunk stored inline in the metadata database
    [InlineData(200 * 1024, 0)] // four chunk files, paused before the first
    [InlineData(200 * 1024, 2)] // paused in the middle, two chunks already streamed
    public async Task GetFile_CollectionBetweenResolvingAndReadingAChunk_ReadsExactBytesThenReclaims(int size, int pauseAt)
    {
        await using var server = await StartAsync(configure: o => o.ChunkSize = 64 * 1024);
        await server.CreateRepoAsync("r");
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        await server.ModifyAsync(Head("r"), Add("/f", bytes));
        var files = ChunkFileCount(server.DataDirectory);

        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.Store.BeforeChunkRead = async (index, cancellationToken) =>
        {
            if (index == pauseAt)
            {
                paused.TrySetResult();
                await resume.Task.WaitAsync(cancellationToken);
            }
        };
        var read = server.GetBytesAsync(Head("r"), "/f");
        await paused.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The reader has resolved /f to its chunks. Now nothing refers to them any more, and a collection runs.
        await server.Pfs.DeleteRepoAsync(new DeleteRepoRequest { Repo = Repo("r") });
        var collected = await server.Server.CollectGarbageAsync();
        Assert.True(collected.Chunks > 0);
        Assert.Equal(0, collected.ChunkFilesDeleted); // deferred: the reader may still open them
        Assert.Equal(files, ChunkFileCount(server.DataDirectory));

        resume.SetResult();
        Assert.Equal(bytes, await read);

        // The reader is done: its lease was the last one older than the collection, so the files go.
        await Poll.UntilAsync(() => ChunkFileCount(server.DataDirectory) == 0 && server.Server.Store.Chunks.RetiredCount == 0);
    }

    [Fact]
    public async Task GetFile_AfterCollection_DoesNotHoldBackDeletion()
    {
        await using var server = await StartAsync(configure: o => o.ChunkSize = 64 * 1024);
        await server.CreateRepoAsync("keep");
        await server.CreateRepoAsync("drop");
        await server.ModifyAsync(Head("keep"), Add("/k", new byte[100 * 1024]));
        var dropped = new byte[100 * 1024];
        Random.Shared.NextBytes(dropped);
        await server.ModifyAsync(Head("drop"), Add("/d", dropped));

        // A reader that starts after the collection's commit cannot see the dead chunks: it delays nothing.
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await server.Pfs.DeleteRepoAsync(new DeleteRepoRequest { Repo = Repo("drop") });
        var collected = await server.Server.CollectGarbageAsync();
        server.Server.Store.BeforeChunkRead = (_, cancellationToken) => resume.Task.WaitAsync(cancellationToken);
        var read = server.GetBytesAsync(Head("keep"), "/k");
        var again = await server.Server.CollectGarbageAsync();
        Assert.Equal(2, collected.ChunkFilesDeleted);
        Assert.Equal(0, again.Chunks);
        Assert.Equal(2, ChunkFileCount(server.DataDirectory));
        resume.SetResult();
        Assert.Equal(100 * 1024, (await read).Length);
    }

    [Fact]
    public void Retire_ChunkPublishedAgainBeforeOldReaderEnds_IsKept()
    {
        var directory = NewDirectory();
        try
        {
            var store = new ChunkStore(directory, new RecordingFileSync());
            var hash = Hash256.Compute("chunk"u8);
            Publish(store, hash);
            store.Release([hash], isReferenced: null); // committed: the metadata refers to it

            var oldReader = store.BeginRead();
            Assert.Equal(0, store.Retire([hash])); // a collection found it dead; the reader may still open it
            Publish(store, hash); // a new stream writes the same bytes again and commits
            store.Release([hash], isReferenced: null);
            oldReader.Dispose();
            Assert.True(System.IO.File.Exists(store.PathOf(hash)));

            // Collected again with no reader left: deleted at once.
            Assert.Equal(1, store.Retire([hash]));
            Assert.False(System.IO.File.Exists(store.PathOf(hash)));
        }
        finally
        {
            TryDelete(directory);
        }
    }

    [Fact]
    public void Release_AbortedStreamWhileOldReaderRuns_DeletesWhenReaderEnds()
    {
        var directory = NewDirectory();
        try
        {
            var store = new ChunkStore(directory, new RecordingFileSync());
            var hash = Hash256.Compute("chunk"u8);
            Publish(store, hash);
            store.Release([hash], isReferenced: null);
            var oldReader = store.BeginRead();
            store.Retire([hash]);

            // A stream publishes the chunk again, then aborts: the old reader still protects the file.
            Publish(store, hash);
            store.Release([hash], isReferenced: _ => false);
            Assert.True(System.IO.File.Exists(store.PathOf(hash)));
            oldReader.Dispose();
            Assert.False(System.IO.File.Exists(store.PathOf(hash)));
        }
        finally
        {
            TryDelete(directory);
        }
    }

    private static void Publish(ChunkStore store, Hash256 hash)
    {
        var temp = store.NewTempPath();
        System.IO.File.WriteAllText(temp, "chunk");
        store.Publish(temp, hash);
    }
}
