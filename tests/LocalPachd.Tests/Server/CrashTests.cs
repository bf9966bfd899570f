using System.Diagnostics;
using Gateway.Pachyderm.Protos.Pfs;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using LocalPachd.Storage;
using Xunit.Abstractions;
using static LocalPachd.Tests.TestServer;
using PfsApi = Gateway.Pachyderm.Protos.Pfs.API;

namespace LocalPachd.Tests.Server;

/// <summary>
/// kill -9 of a LocalPachd process in the middle of concurrent writes, several rounds on one data directory: every
/// acknowledged write survives with exactly its bytes, interrupted writes are all-or-nothing, commits are in
/// possible states, and after a collection no chunk file is orphaned.
/// </summary>
public sealed class CrashTests
{
    private readonly ITestOutputHelper _output;

    public CrashTests(ITestOutputHelper output) => _output = output;

    private const int _chunkSize = 64 * 1024;
    private const int _oneOffWriters = 3;

    // Kill once this many writes (across all writers) have been acknowledged in the round: different timings.
    private static readonly int[] _killAfterAcks = [1, 6, 15, 30];

    [Fact]
    public async Task KillDashNine_DuringConcurrentWrites_AcknowledgedSurviveNothingHalfWrittenNoOrphans()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var directory = NewDirectory();
        var master = new WriteLedger("master");
        var openBranches = new List<(string Branch, WriteLedger Ledger, OpenCommits Commits)>();
        try
        {
            for (var round = 0; round < _killAfterAcks.Length; round++)
            {
                var open = ($"open{round}", new WriteLedger($"open{round}"), new OpenCommits());
                openBranches.Add(open);
                var watch = Stopwatch.StartNew();
                var acknowledged = await RunAndKillAsync(directory, round, master, open, timeout.Token);
                var killedAt = watch.Elapsed;
                var filesAtKill = ChunkFileCount(directory);
                var tempAtKill = Directory.EnumerateFiles(Path.Combine(directory, "tmp")).Count();

                await using var server = await StartAsync(directory);
                var orphansRemoved = filesAtKill - ChunkFileCount(directory);
                var (applied, notApplied) = await VerifyBranchAsync(server, "master", master, timeout.Token);
                foreach (var (branch, ledger, commits) in openBranches)
                {
                    var (a, n) = await VerifyBranchAsync(server, branch, ledger, timeout.Token);
                    (applied, notApplied) = (applied + a, notApplied + n);
                    await VerifyCommitsAsync(server, commits);
                }

                await VerifyCommitStatesAsync(server);
                Assert.Empty(Directory.EnumerateFiles(Path.Combine(directory, "tmp")));
                var collected = await server.Server.CollectGarbageAsync(timeout.Token);
                VerifyNoOrphans(server);
                _output.WriteLine(
                    $"round {round}: killed after {acknowledged} acks ({killedAt.TotalMilliseconds:F0} ms); interrupted writes applied {applied}, not {notApplied}; " +
                    $"at kill {filesAtKill} chunk files ({orphansRemoved} orphaned), {tempAtKill} temp files; collection removed {collected.Chunks} chunks; {watch.Elapsed.TotalMilliseconds:F0} ms in all");
            }
        }
        finally
        {
            TryDelete(directory);
        }
    }

    private static int ChunkFileCount(string directory) =>
        Directory.EnumerateFiles(Path.Combine(directory, "chunks"), "*", SearchOption.AllDirectories).Count();

    private static async Task<int> RunAndKillAsync(
        string directory, int round, WriteLedger master, (string Branch, WriteLedger Ledger, OpenCommits Commits) open, CancellationToken cancellationToken)
    {
        var (process, address) = await LocalPachdProcess.StartAsync(directory, "--chunk-size", _chunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var run = new Run();
        try
        {
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = LocalPachdServer.MaxMessageSize });
            var client = new PfsApi.APIClient(channel);
            if (round == 0)
            {
                await client.CreateRepoAsync(new CreateRepoRequest { Repo = Repo("r") }, cancellationToken: cancellationToken);
                await client.CreateBranchAsync(new CreateBranchRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } }, cancellationToken: cancellationToken);
            }

            var writers = new List<Task>();
            for (var w = 0; w < _oneOffWriters; w++)
            {
                var id = $"{round}-{w}";
                var seed = (round * 100) + w;
                writers.Add(Task.Run(() => OneOffWriterAsync(client, run, master, id, seed), cancellationToken));
            }

            writers.Add(Task.Run(() => OpenCommitWriterAsync(client, run, open.Branch, open.Ledger, open.Commits, (round * 100) + 99), cancellationToken));

            var deadline = Stopwatch.StartNew();
            while (run.Acknowledged < _killAfterAcks[round] && writers.TrueForAll(t => !t.IsCompleted))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "writers made no progress");
                await Task.Delay(1, cancellationToken);
            }

            run.Killed = true;
            process.Kill(); // SIGKILL
            await process.WaitForExitAsync(cancellationToken);
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
            Assert.True(run.Acknowledged >= _killAfterAcks[round]);
            return run.Acknowledged;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }
    }

    /// <summary>New commits on master, one per ModifyFile: adds files (sometimes two), now and then deletes an older one.</summary>
    private static async Task OneOffWriterAsync(PfsApi.APIClient client, Run run, WriteLedger ledger, string id, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; !run.Killed; i++)
        {
            var effects = new List<Effect>();
            var requests = new List<ModifyFileRequest>();
            if (i >= 2 && i % 3 == 0)
            {
                var old = $"/w{id}/f{i - 2}";
                requests.Add(Delete(old));
                effects.Add(new Effect(old, null));
            }

            foreach (var path in i % 4 == 1 ? new[] { $"/w{id}/f{i}", $"/w{id}/f{i}b" } : [$"/w{id}/f{i}"])
            {
                var bytes = RandomContent(random);
                requests.AddRange(AddInPieces(path, bytes));
                effects.Add(new Effect(path, Content.Of(bytes)));
            }

            if (!await run.TryAsync(() => ModifyAsync(client, Head("r"), requests), ledger, effects))
            {
                return;
            }
        }
    }

    /// <summary>StartCommit, three ModifyFiles into the open commit, FinishCommit; again.</summary>
    private static async Task OpenCommitWriterAsync(PfsApi.APIClient client, Run run, string branch, WriteLedger ledger, OpenCommits commits, int seed)
    {
        var random = new Random(seed);
        for (var n = 0; !run.Killed; n++)
        {
            string? id = null;
            if (!await run.TryAsync(async () => id = (await client.StartCommitAsync(new StartCommitRequest { Branch = new Branch { Repo = Repo("r"), Name = branch } })).Id, null, []))
            {
                return;
            }

            commits.Started.Add(id!);
            for (var j = 0; j < 3; j++)
            {
                var path = $"/c{n}/f{j}";
                var bytes = RandomContent(random);
                if (!await run.TryAsync(() => ModifyAsync(client, Head("r", branch), AddInPieces(path, bytes)), ledger, [new Effect(path, Content.Of(bytes))]))
                {
                    return;
                }
            }

            if (!await run.TryAsync(async () => await client.FinishCommitAsync(new FinishCommitRequest { Commit = Head("r", branch) }), null, []))
            {
                return;
            }

            commits.Finished.Add(id!);
        }
    }

    /// <summary>Under 64 KiB (stored inline) two times in five, otherwise up to five 64 KiB chunks.</summary>
    private static byte[] RandomContent(Random random)
    {
        var bytes = new byte[random.Next(5) < 2 ? random.Next(0, 60 * 1024) : random.Next(64 * 1024, 5 * _chunkSize)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A file as a client streams it: several add_file messages of at most 100 KiB.</summary>
    private static List<ModifyFileRequest> AddInPieces(string path, byte[] bytes)
    {
        var requests = new List<ModifyFileRequest> { Add(path, bytes.AsSpan(0, Math.Min(bytes.Length, 100 * 1024)).ToArray()) };
        for (var offset = 100 * 1024; offset < bytes.Length; offset += 100 * 1024)
        {
            requests.Add(new ModifyFileRequest { AddFile = new AddFile { Path = path, Raw = ByteString.CopyFrom(bytes.AsSpan(offset, Math.Min(bytes.Length - offset, 100 * 1024))) } });
        }

        return requests;
    }

    private static async Task ModifyAsync(PfsApi.APIClient client, Commit commit, IEnumerable<ModifyFileRequest> requests)
    {
        using var call = client.ModifyFile();
        await call.RequestStream.WriteAsync(new ModifyFileRequest { SetCommit = commit });
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request);
        }

        await call.RequestStream.CompleteAsync();
        await call;
    }

    private static async Task<(int Applied, int NotApplied)> VerifyBranchAsync(TestServer server, string branch, WriteLedger ledger, CancellationToken cancellationToken)
    {
        var actual = new Dictionary<string, Content>(StringComparer.Ordinal);
        var head = Head("r", branch);
        long total = 0;
        if (!await BranchExistsAsync(server, branch))
        {
            // Killed before the branch's first StartCommit was acknowledged (or applied).
            return ledger.Verify(actual);
        }

        using (var walk = server.Pfs.WalkFile(new WalkFileRequest { File = File(head, "/") }, cancellationToken: cancellationToken))
        {
            await foreach (var info in walk.ResponseStream.ReadAllAsync(cancellationToken))
            {
                if (info.FileType != FileType.File)
                {
                    continue;
                }

                using var get = server.Pfs.GetFile(new GetFileRequest { File = File(head, info.File.Path) }, cancellationToken: cancellationToken);
                using var bytes = new MemoryStream();
                await foreach (var message in get.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    message.Value.WriteTo(bytes);
                }

                Assert.Equal(info.SizeBytes, bytes.Length);
                actual[info.File.Path] = Content.Of(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
                total += bytes.Length;
            }
        }

        var outcome = ledger.Verify(actual);
        var commit = await server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = head }, cancellationToken: cancellationToken);
        Assert.Equal(total, commit.Details.SizeBytes);
        return outcome;
    }

    private static async Task<bool> BranchExistsAsync(TestServer server, string name)
    {
        using var branches = server.Pfs.ListBranch(new ListBranchRequest { Repo = Repo("r") });
        return await branches.ResponseStream.ReadAllAsync().AnyAsync(b => b.Branch.Name == name);
    }

    /// <summary>Every acknowledged StartCommit exists; every acknowledged FinishCommit is finished.</summary>
    private static async Task VerifyCommitsAsync(TestServer server, OpenCommits commits)
    {
        foreach (var id in commits.Started)
        {
            var info = await server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById("r", id) });
            if (commits.Finished.Contains(id))
            {
                Assert.NotNull(info.Finished);
            }
        }
    }

    /// <summary>No commit in an impossible state: finished implies finishing, no error, and only a branch head may be open.</summary>
    private static async Task VerifyCommitStatesAsync(TestServer server)
    {
        var heads = new HashSet<string>(StringComparer.Ordinal);
        using (var branches = server.Pfs.ListBranch(new ListBranchRequest { Repo = Repo("r") }))
        {
            await foreach (var branch in branches.ResponseStream.ReadAllAsync())
            {
                heads.Add(branch.Head.Id);
            }
        }

        using var list = server.Pfs.ListCommit(new ListCommitRequest { Repo = Repo("r"), All = true });
        var count = 0;
        await foreach (var commit in list.ResponseStream.ReadAllAsync())
        {
            count++;
            Assert.Empty(commit.Error);
            Assert.True(commit.Finished is null || commit.Finishing is not null, commit.Commit.Id);
            Assert.True(commit.Finished is not null || heads.Contains(commit.Commit.Id), $"open commit {commit.Commit.Id} is no branch head");
        }

        Assert.True(count > 0);
    }

    /// <summary>After a collection: every chunk file is referenced, every chunk stored as a file exists with its size.</summary>
    private static void VerifyNoOrphans(TestServer server)
    {
        using var connection = server.Server.Store.Db.Open();
        var fileChunks = connection.Query(
            "SELECT hash, size FROM chunks WHERE data IS NULL", r => (Hash: Hash256.FromSpan((byte[])r.GetValue(0)), Size: r.GetInt64(1)));
        var onDisk = server.Server.Store.Chunks.EnumerateOnDisk().ToHashSet();
        Assert.Equal(fileChunks.Select(c => c.Hash).ToHashSet(), onDisk);
        foreach (var (hash, size) in fileChunks)
        {
            Assert.Equal(size, new System.IO.FileInfo(server.Server.Store.Chunks.PathOf(hash)).Length);
        }

        var allFiles = Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "chunks"), "*", SearchOption.AllDirectories).Count();
        Assert.Equal(onDisk.Count, allFiles);
    }

    /// <summary>One round's writers: how many writes were acknowledged, and whether the process was killed.</summary>
    private sealed class Run
    {
        private int _acknowledged;
        private volatile bool _killed;

        public int Acknowledged => Volatile.Read(ref _acknowledged);

        public bool Killed
        {
            get => _killed;
            set => _killed = value;
        }

        /// <summary>
        /// Runs one write. Acknowledged: recorded as such. Failed after the kill: its outcome is unknown and the writer
        /// stops. Failed before the kill: a real error, which fails the test.
        /// </summary>
        public async Task<bool> TryAsync(Func<Task> write, WriteLedger? ledger, IReadOnlyList<Effect> effects)
        {
            try
            {
                await write();
            }
            catch (Exception) when (Killed)
            {
                ledger?.Unknown(effects);
                return false;
            }

            ledger?.Acknowledged(effects);
            Interlocked.Increment(ref _acknowledged);
            return true;
        }
    }

    /// <summary>Commits the open-commit writer started and finished, as acknowledged.</summary>
    private sealed class OpenCommits
    {
        public List<string> Started { get; } = [];

        public HashSet<string> Finished { get; } = new(StringComparer.Ordinal);
    }
}
