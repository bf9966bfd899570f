using System.Diagnostics;
using LocalPachd.Hosting;
using LocalPachd.Tree;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace LocalPachd.Storage;

/// <summary>
/// Mark-and-sweep collection of tree nodes, file contents and chunks that no commit reaches any more (deleted
/// repos, intermediate trees of open commits). Runs under the write lock, so no write can start referring to
/// something while it is being swept; chunk files still held by an in-flight ModifyFile are never deleted, and
/// those a running read may still open are deleted only once it ends (<see cref="ChunkStore.Retire"/>).
/// </summary>
internal sealed class GarbageCollector : IDisposable
{
    private static readonly TimeSpan _debounce = TimeSpan.FromMilliseconds(200);

    private readonly MetadataDb _db;
    private readonly ChunkStore _chunks;
    private readonly NodeCache _cache;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private int _scheduled;
    private Task _background = Task.CompletedTask;

    public GarbageCollector(MetadataDb db, ChunkStore chunks, NodeCache cache, ILogger logger)
    {
        _db = db;
        _chunks = chunks;
        _cache = cache;
        _logger = logger;
    }

    /// <summary>Runs a collection soon, in the background (coalescing bursts of requests).</summary>
    public void Schedule()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;
        }

        _background = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(_debounce, _stopping.Token).ConfigureAwait(false);
                Volatile.Write(ref _scheduled, 0);
                await CollectAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (ex is SqliteException or IOException or InvalidDataException)
            {
                ServerLog.GarbageCollectionFailed(_logger, ex);
            }
            finally
            {
                Volatile.Write(ref _scheduled, 0);
            }
        });
    }

    /// <summary>Cancels any scheduled background collection and waits for it to end.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _background.ConfigureAwait(false);
    }

    public async Task<GcResult> CollectAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false);
        var connection = scope.Connection;
        var source = new NodeSource(_cache, connection);

        // Mark: every node and content reachable from any commit.
        var liveNodes = new HashSet<Hash256>();
        var liveContents = new HashSet<Hash256>();
        var pending = new Stack<Hash256>(connection.Query(
            "SELECT DISTINCT root FROM commits WHERE root IS NOT NULL", r => Hash256.FromSpan((byte[])r.GetValue(0))));
        while (pending.Count > 0)
        {
            var id = pending.Pop();
            if (!liveNodes.Add(id))
            {
                continue;
            }

            var node = source.Load(id);
            foreach (var page in node.Pages)
            {
                pending.Push(page.Page);
            }

            foreach (var entry in node.Entries)
            {
                if (entry.IsDirectory)
                {
                    pending.Push(entry.Ref);
                }
                else
                {
                    liveContents.Add(entry.Ref);
                }
            }
        }

        // Sweep nodes and contents; collect the chunks live contents use.
        var deadNodes = connection.Query("SELECT id FROM nodes", r => Hash256.FromSpan((byte[])r.GetValue(0))).Where(id => !liveNodes.Contains(id)).ToList();
        DeleteByKey(connection, "DELETE FROM nodes WHERE id = $k", deadNodes);
        foreach (var id in deadNodes)
        {
            _cache.Remove(id);
        }

        var liveChunks = new HashSet<Hash256>();
        var deadContents = new List<Hash256>();
        foreach (var (id, chunks) in connection.Query("SELECT id, chunks FROM contents", r => (Hash256.FromSpan((byte[])r.GetValue(0)), (byte[])r.GetValue(1))))
        {
            if (!liveContents.Contains(id))
            {
                deadContents.Add(id);
                continue;
            }

            foreach (var chunk in FileContent.Decode(chunks).Chunks)
            {
                liveChunks.Add(chunk.Hash);
            }
        }

        DeleteByKey(connection, "DELETE FROM contents WHERE id = $k", deadContents);
        var deadChunks = connection.Query("SELECT hash FROM chunks", r => Hash256.FromSpan((byte[])r.GetValue(0))).Where(h => !liveChunks.Contains(h)).ToList();
        DeleteByKey(connection, "DELETE FROM chunks WHERE hash = $k", deadChunks);
        scope.Commit();

        // Still under the write lock: nothing can commit a new reference to these chunks before they are retired.
        // Files a running reader may still open are deleted when it ends (see ChunkStore).
        var deletedFiles = _chunks.Retire(deadChunks);
        ServerLog.GarbageCollected(_logger, deadNodes.Count, deadContents.Count, deadChunks.Count, watch.ElapsedMilliseconds);
        return new GcResult(deadNodes.Count, deadContents.Count, deadChunks.Count, deletedFiles);
    }

    /// <summary>Start-up: removes chunk files whose metadata never committed (a crash between write and commit).</summary>
    public int RemoveOrphanChunks()
    {
        using var connection = _db.Open();
        var known = connection.Query("SELECT hash FROM chunks", r => Hash256.FromSpan((byte[])r.GetValue(0))).ToHashSet();
        var orphans = _chunks.EnumerateOnDisk().Where(h => !known.Contains(h)).ToList();
        _chunks.Retire(orphans);
        if (orphans.Count > 0)
        {
            ServerLog.OrphansRemoved(_logger, orphans.Count);
        }

        return orphans.Count;
    }

    private static void DeleteByKey(SqliteConnection connection, string sql, List<Hash256> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        using var command = connection.Prepare(sql);
        var key = command.Parameters.Add("$k", SqliteType.Blob);
        foreach (var id in keys)
        {
            key.Value = id.ToArray();
            command.ExecuteNonQuery();
        }
    }

    public void Dispose() => _stopping.Dispose();
}

/// <summary>What one collection removed.</summary>
internal sealed record GcResult(int Nodes, int Contents, int Chunks, long ChunkFilesDeleted);
