using Gateway.Core.Metadata;
using Gateway.Core.Naming;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;
using Grpc.Core;

namespace Gateway.Core.Tests.Metadata;

/// <summary>
/// Records written while a commit of records is under way go together in the next commit, only with records of the
/// same caller, and each writer learns the outcome of the commit that held its record.
/// </summary>
[Collection(PachdCollection.Name)]
public sealed class RecordGroupCommitTests(PachdServer pachd)
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(20);

    private static ObjectRecord Record(string key) =>
        new() { Hash = Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(key)).PadRight(64, '0'), Size = key.Length, ETag = $"\"{key}\"" };

    /// <summary>
    /// A client whose first ModifyFile signals <paramref name="entered"/> and then waits for <paramref name="release"/>:
    /// a commit under way.
    /// </summary>
    private static IPachClient HoldingFirstCommit(IPachClient inner, ManualResetEventSlim entered, ManualResetEventSlim release)
    {
        var first = 0;
        return PachProxy.Wrap(inner, [], call =>
        {
            if (call.Method == nameof(IPachClient.ModifyFileAsync) && Interlocked.Exchange(ref first, 1) == 0)
            {
                entered.Set();
                Assert.True(release.Wait(_wait), "the test never released the first commit");
            }

            return null;
        });
    }

    /// <summary>A bucket whose gateway branch exists already (one record written), so each commit is one ModifyFile.</summary>
    private async Task<BucketAddress> NewBucketAsync()
    {
        var repo = await pachd.NewRepoAsync();
        var bucket = new BucketAddress(RepoRef.DefaultProject, repo, "master", null);
        await new RecordGroupCommit().WriteAsync(pachd.Client, "setup", bucket, "setup", Record("setup")).WaitAsync(_wait);
        return bucket;
    }

    [Fact]
    public async Task WritesDuringACommit_GoTogetherInTheNext_AllStored()
    {
        var bucket = await NewBucketAsync();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var pach = HoldingFirstCommit(pachd.Client, entered, release);
        var group = new RecordGroupCommit();

        var first = group.WriteAsync(pach, "caller", bucket, "k00", Record("k00"));
        Assert.True(entered.Wait(_wait));
        var rest = Enumerable.Range(1, 15).Select(i => group.WriteAsync(pach, "caller", bucket, $"k{i:D2}", Record($"k{i:D2}"))).ToList();
        release.Set();
        await Task.WhenAll([first, .. rest]).WaitAsync(_wait);

        Assert.Equal(2, group.Commits);
        for (var i = 0; i < 16; i++)
        {
            var key = $"k{i:D2}";
            var stored = await ObjectRecords.ReadAsync(pachd.Client, bucket, key, Record(key).Hash, key.Length, CancellationToken.None);
            Assert.Equal($"\"{key}\"", stored?.ETag);
        }
    }

    [Fact]
    public async Task OneAtATime_OneCommitEach()
    {
        var bucket = await NewBucketAsync();
        var group = new RecordGroupCommit();

        await group.WriteAsync(pachd.Client, "caller", bucket, "k0", Record("k0")).WaitAsync(_wait);
        var before = await CountCommitsAsync(bucket);
        for (var i = 1; i < 3; i++)
        {
            await group.WriteAsync(pachd.Client, "caller", bucket, $"k{i}", Record($"k{i}")).WaitAsync(_wait);
        }

        Assert.Equal(3, group.Commits);
        Assert.Equal(before + 2, await CountCommitsAsync(bucket));
    }

    /// <summary>
    /// A commit carries one caller's token: another caller's records never join it, even while it holds theirs back
    /// (each commit on the gateway branch changes the records of one caller only).
    /// </summary>
    [Fact]
    public async Task OtherCallers_NeverShareACommit()
    {
        var bucket = await NewBucketAsync();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var pachA = HoldingFirstCommit(pachd.Client, entered, release);
        var group = new RecordGroupCommit();

        var writes = new List<Task> { group.WriteAsync(pachA, "a", bucket, "a0", Record("a0")) };
        Assert.True(entered.Wait(_wait));
        for (var i = 1; i < 5; i++)
        {
            writes.Add(group.WriteAsync(pachA, "a", bucket, $"a{i}", Record($"a{i}")));
            writes.Add(group.WriteAsync(pachd.Client, "b", bucket, $"b{i}", Record($"b{i}")));
        }

        // b's records are not held back behind a's commit.
        await Task.WhenAll(writes.Where((_, i) => i % 2 == 0 && i > 0)).WaitAsync(_wait);
        release.Set();
        await Task.WhenAll(writes).WaitAsync(_wait);

        var head = GatewayBranch.Of(bucket);
        await foreach (var commit in pachd.Client.ListCommitsAsync(head.Repo, head.Head))
        {
            var callers = new HashSet<char>();
            await foreach (var diff in pachd.Client.DiffFileAsync(new FileRef(CommitRef.ById(head.Repo, commit.Commit.Id), "/objects/")))
            {
                callers.Add(diff.Path.TrimStart('/')["objects/".Length]);
            }

            Assert.True(callers.Count <= 1, $"commit {commit.Commit.Id} holds records of callers {string.Join(", ", callers)}");
        }
    }

    [Fact]
    public async Task FailedCommit_FailsEveryRecordItHeld()
    {
        var bucket = await NewBucketAsync();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var error = new PachException(PachErrorKind.NotAuthorized, StatusCode.PermissionDenied, "not allowed");
        var calls = 0;
        var pach = PachProxy.Wrap(pachd.Client, [], call =>
        {
            if (call.Method != nameof(IPachClient.ModifyFileAsync))
            {
                return null;
            }

            // The first commit (one record) goes through once released; the next one (the records that waited) fails.
            if (Interlocked.Increment(ref calls) == 1)
            {
                entered.Set();
                Assert.True(release.Wait(_wait));
                return null;
            }

            return error;
        });
        var group = new RecordGroupCommit();

        var first = group.WriteAsync(pach, "caller", bucket, "k0", Record("k0"));
        Assert.True(entered.Wait(_wait));
        var waiting = Enumerable.Range(1, 4).Select(i => group.WriteAsync(pach, "caller", bucket, $"k{i}", Record($"k{i}"))).ToList();
        release.Set();

        await first.WaitAsync(_wait);
        foreach (var write in waiting)
        {
            var thrown = await Assert.ThrowsAsync<PachException>(() => write.WaitAsync(_wait));
            Assert.Equal(PachErrorKind.NotAuthorized, thrown.Kind);
        }

        // The lane recovers: the next record gets a commit of its own.
        var after = group.WriteAsync(pachd.Client, "caller", bucket, "k5", Record("k5"));
        await after.WaitAsync(_wait);
        Assert.Equal(2, group.Commits);
    }

    private async Task<int> CountCommitsAsync(BucketAddress bucket)
    {
        var branch = GatewayBranch.Of(bucket);
        var count = 0;
        await foreach (var _ in pachd.Client.ListCommitsAsync(branch.Repo, branch.Head))
        {
            count++;
        }

        return count;
    }
}
