using System.Collections.Concurrent;
using Gateway.Core.Naming;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Uploads;

/// <summary>
/// Squashes the settled history of buckets' gateway branches, so that bytes no longer at a branch's head leave pachd's
/// storage: parts of completed, aborted and expired uploads, receipts, replaced object records. Removing a directory
/// from the head alone leaves it in every earlier commit, and pachd frees data only when no commit refers to it.
/// </summary>
/// <remarks>
/// <para>
/// Everything the gateway reads from its branch is read at the head (uploads, records, the version index), so the
/// branch's history is of no use to it. Only a CompleteMultipartUpload in flight pins an earlier commit, for its part
/// copies, and it lists the parts again when that commit was squashed. Commits younger than <see cref="SettleAge"/>
/// stay all the same, and the head always.
/// </para>
/// <para>
/// A trim walks up from the oldest commit of the branch: it squashes that commit while it is settled and has one
/// child, then goes on with the child. The commit it stopped at is remembered per bucket, so the next trim starts
/// there; finding the oldest commit the first time walks the branch down from its head, at most
/// <see cref="MaxWalk"/> commits per trim (a long branch takes several trims to reach its start). A trim runs in the
/// background, started by the upload sweep (<see cref="UploadSweep"/>) at most once per bucket and
/// <see cref="UploadExpiry.SweepInterval"/>, with the token of the caller whose request started it.
/// </para>
/// <para>
/// Squashing needs pachd 2.8+ and, with auth on, a caller with the cluster-level REPO_DELETE_COMMIT permission (a
/// cluster admin); elsewhere the history stays as it is and the instance logs that once.
/// </para>
/// </remarks>
internal sealed class HistoryTrimmer
{
    /// <summary>Commits younger than this stay (a Complete in flight may still read its parts at one of them).</summary>
    public static readonly TimeSpan SettleAge = TimeSpan.FromHours(1);

    /// <summary>Most commits one trim walks down while looking for the oldest.</summary>
    public const int MaxWalk = 50_000;

    /// <summary>Most commits one trim squashes; the rest go with the next.</summary>
    public const int MaxPerTrim = 1_000;

    /// <summary>How long one trim may run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private const int _walkPage = 1_000;
    private const int _maxRemembered = 10_000;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, string> _oldest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<StatusCode, bool> _refusals = new();

    public HistoryTrimmer(TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
    }

    /// <summary>Starts a trim of <paramref name="bucket"/>'s gateway branch in the background.</summary>
    public Task StartAsync(IPachClient pach, BucketAddress bucket) => Task.Run(async () =>
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await TrimAsync(pach, bucket, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A background task's boundary: nothing awaits it, so its failure goes to the log.
            UploadsLog.TrimFailed(_logger, bucket.Repo, e.GetType().Name + ": " + e.Message);
        }
    });

    /// <summary>
    /// Squashes the settled commits of <paramref name="bucket"/>'s gateway branch, oldest first, and returns how many.
    /// </summary>
    public async Task<int> TrimAsync(IPachClient pach, BucketAddress bucket, CancellationToken cancellationToken)
    {
        var key = bucket.BranchKey;
        var current = await FindOldestAsync(pach, bucket, key, cancellationToken).ConfigureAwait(false);
        var settled = _time.GetUtcNow() - SettleAge;
        var squashed = 0;
        while (current is not null && squashed < MaxPerTrim && IsSettled(current, settled) && current.ChildCommits.Count == 1)
        {
            var child = CommitRef.ById(bucket.RepoRef, current.ChildCommits[0].Id);
            try
            {
                await pach.SquashCommitAsync(CommitRef.ById(bucket.RepoRef, current.Commit.Id), cancellationToken).ConfigureAwait(false);
            }
            catch (PachException e) when (e.Kind is PachErrorKind.NotAuthorized or PachErrorKind.Unimplemented)
            {
                if (_refusals.TryAdd(e.Status, true))
                {
                    UploadsLog.TrimUnavailable(_logger, bucket.Repo, e.Status);
                }

                break;
            }
            catch (PachException e) when (e.Kind is not (PachErrorKind.Cancelled or PachErrorKind.Unavailable))
            {
                // Squashed by another instance meanwhile, or a child not finished yet: the next trim goes on.
                UploadsLog.TrimStopped(_logger, bucket.Repo, e.Kind);
                Remember(key, null);
                return squashed;
            }

            squashed++;
            current = await InspectAsync(pach, child, cancellationToken).ConfigureAwait(false);
        }

        Remember(key, current?.Commit.Id);
        UploadsLog.Trimmed(_logger, squashed, bucket.Repo);
        return squashed;
    }

    private static bool IsSettled(CommitInfo commit, DateTimeOffset settled) =>
        commit.Finished is { } finished && finished.ToDateTimeOffset() <= settled;

    /// <summary>
    /// The oldest commit of the branch: the one remembered from the last trim when it still is, else found by walking
    /// down from the head. Null when there is no branch, or when the walk has not reached the start yet (it goes on
    /// from where it stopped next time).
    /// </summary>
    private async Task<CommitInfo?> FindOldestAsync(IPachClient pach, BucketAddress bucket, string key, CancellationToken cancellationToken)
    {
        var from = _oldest.TryGetValue(key, out var id) ? CommitRef.ById(bucket.RepoRef, id) : GatewayBranch.Of(bucket).Head;
        var walked = 0;
        while (true)
        {
            CommitInfo? last = null;
            try
            {
                await foreach (var info in pach.ListCommitsAsync(bucket.RepoRef, from, _walkPage, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    last = info;
                    walked++;
                }
            }
            catch (PachException e) when (e.Kind == PachErrorKind.CommitNotFound && from.Id is not null)
            {
                // The remembered commit was squashed by someone else: start again from the head.
                Remember(key, null);
                from = GatewayBranch.Of(bucket).Head;
                continue;
            }
            catch (PachException e) when (e.Kind is PachErrorKind.BranchNotFound or PachErrorKind.RepoNotFound)
            {
                return null;
            }

            if (last is null)
            {
                return null;
            }

            if (last.ParentCommit is null)
            {
                return last;
            }

            from = CommitRef.ById(bucket.RepoRef, last.ParentCommit.Id);
            if (walked >= MaxWalk)
            {
                Remember(key, from.Id);
                return null;
            }
        }
    }

    private static async Task<CommitInfo?> InspectAsync(IPachClient pach, CommitRef commit, CancellationToken cancellationToken)
    {
        try
        {
            return await pach.InspectCommitAsync(commit, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind == PachErrorKind.CommitNotFound)
        {
            return null;
        }
    }

    /// <summary>Where the next trim of the bucket starts (null: from the branch head).</summary>
    private void Remember(string key, string? id)
    {
        if (id is null)
        {
            _oldest.TryRemove(key, out _);
            return;
        }

        if (_oldest.Count >= _maxRemembered)
        {
            _oldest.Clear();
        }

        _oldest[key] = id;
    }
}
