using System.Collections.Concurrent;
using Gateway.Core.Logging;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Metadata;

/// <summary>
/// Writes the records of objects just written (PutObject, CopyObject) in group commits: records for one gateway
/// branch from one caller that arrive while a commit of them is under way wait for it to end, then go together in the
/// next commit (one ModifyFile), in the order they arrived. One at a time a record still costs one commit; under
/// concurrent writes the gateway branch gets far fewer commits than there are objects.
/// </summary>
/// <remarks>
/// <para>
/// A record's commit used to be a second commit for every PUT, and half its cost against LocalPachd: 4 KiB PUTs at
/// c=16 went from 491 to 832 per second with no record at all (docs/BENCHMARKS.md).
/// </para>
/// <para>
/// Records are grouped only with others of the same caller (the access key, which is the pachd token when auth is
/// on): a commit carries one token, so it never writes a record with another caller's rights. Every caller waits for
/// the commit that holds its record, so a PUT still answers only once its record is stored; a failed commit fails
/// each record it held. The commit is not tied to any one request: a client that goes away does not cancel the
/// others' records (pachd calls have their own deadlines, <see cref="PachClientOptions.CallTimeout"/>).
/// </para>
/// </remarks>
internal sealed class RecordGroupCommit
{
    private readonly ConcurrentDictionary<(string? Caller, BranchRef Branch), Lane> _lanes = new();
    private long _commits;

    /// <summary>Commits of records made so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Writes the record of an object that was just written. The object is there whatever happens here, so a failure
    /// is logged and reported as false: the caller then answers with the content-derived ETag the object will be
    /// served with, never with an ETag no later read would show.
    /// </summary>
    public async Task<bool> TryWriteAsync(S3Call call, BucketAddress bucket, string key, ObjectRecord record, ILogger logger)
    {
        try
        {
            await WriteAsync(call.Pach, call.Auth.Identity.AccessKeyId, bucket, key, record).ConfigureAwait(false);
            return true;
        }
        catch (PachException e) when (e.Kind != PachErrorKind.Cancelled)
        {
            GatewayLog.RecordWriteFailed(logger, e.Kind, call.RequestId);
            return false;
        }
    }

    /// <summary>
    /// Writes <paramref name="record"/> (and the key's listing entry) on the gateway branch of <paramref name="bucket"/>
    /// through <paramref name="pach"/>, the client of <paramref name="caller"/>, in the next group commit.
    /// </summary>
    public Task WriteAsync(IPachClient pach, string? caller, BucketAddress bucket, string key, ObjectRecord record)
    {
        var pending = new Pending(key, record);
        var laneKey = (caller, GatewayBranch.Of(bucket));
        while (true)
        {
            var lane = _lanes.GetOrAdd(laneKey, static _ => new Lane());
            bool lead;
            lock (lane)
            {
                if (lane.Retired)
                {
                    // Its last commit ended and it left the table just now: take a fresh lane.
                    continue;
                }

                lane.Queue.Add(pending);
                lead = !lane.Writing;
                lane.Writing = true;
            }

            if (lead)
            {
                _ = Task.Run(() => DrainAsync(laneKey, lane, pach, bucket));
            }

            return pending.Completion.Task;
        }
    }

    /// <summary>Commits what the lane holds, again and again until it is empty; then retires it.</summary>
    private async Task DrainAsync((string? Caller, BranchRef Branch) laneKey, Lane lane, IPachClient pach, BucketAddress bucket)
    {
        while (true)
        {
            List<Pending> batch;
            lock (lane)
            {
                if (lane.Queue.Count == 0)
                {
                    // A retired lane is never written to again (writers take a fresh one), so it stays Writing.
                    lane.Retired = true;
                    _lanes.TryRemove(new KeyValuePair<(string?, BranchRef), Lane>(laneKey, lane));
                    return;
                }

                batch = lane.Queue;
                lane.Queue = [];
            }

            try
            {
                await GatewayBranch.ModifyAsync(pach, bucket, async w =>
                {
                    foreach (var pending in batch)
                    {
                        await ObjectRecords.WriteAsync(w, pending.Key, pending.Record, CancellationToken.None).ConfigureAwait(false);
                    }
                }, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref _commits);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetResult();
                }
            }
            catch (Exception e)
            {
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(e);
                }
            }
        }
    }

    private sealed record Pending(string Key, ObjectRecord Record)
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lane
    {
        public List<Pending> Queue { get; set; } = [];

        public bool Writing { get; set; }

        public bool Retired { get; set; }
    }
}
