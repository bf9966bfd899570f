using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Buckets;

/// <summary>
/// DeleteBucket: NoSuchBucket when the branch is missing, BucketNotEmpty when its head holds any file; otherwise the
/// branch goes with its gateway branch, and the repo with them when that was its last bucket.
/// <para>
/// pachd cannot delete a branch on condition of its head, so a write that commits between the emptiness check and
/// DeleteBranch would be acknowledged to its client and then dropped with the branch. After the delete, the
/// operation therefore looks for commits made on the branch's lineage after the head it checked (the leaves
/// below that head that no remaining branch points at). When it finds one, the branch is put back at it and the
/// check runs again, so such a write wins as if it had come first (BucketNotEmpty) and is never lost. Only then
/// do the gateway branch and the repo go.
/// </para>
/// </summary>
internal sealed class DeleteBucketOperation : IGatewayOperation
{
    /// <summary>How often a delete that raced a write is retried before the client is asked to try again.</summary>
    private const int _maxAttempts = 3;

    /// <summary>Commits examined below the checked head before giving up on finding a raced write.</summary>
    private const int _maxCommitsWalked = 1_000;

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var bucket = call.RequiredBucket;
        for (var attempt = 1; ; attempt++)
        {
            var branch = await BucketGuard.RequireAsync(call).ConfigureAwait(false);
            var head = branch.Head is null ? bucket.BranchRef.Head : CommitRef.FromProto(branch.Head);
            if (await HasAnyFileAsync(call.Pach, head, call.Aborted).ConfigureAwait(false))
            {
                throw new S3Exception(S3Errors.BucketNotEmpty) { BucketName = call.BucketName };
            }

            try
            {
                await call.Pach.DeleteBranchAsync(bucket.BranchRef, cancellationToken: call.Aborted).ConfigureAwait(false);
            }
            catch (PachException e) when (e.IsNotFound)
            {
                // Someone else removed the branch or the repo meanwhile: the bucket is gone either way.
                return S3Response.Status(StatusCodes.Status204NoContent);
            }

            if (branch.Head?.Id is not { Length: > 0 } checkedHead
                || await FindRacedWriteAsync(call.Pach, bucket, checkedHead, call.Aborted).ConfigureAwait(false) is not { } raced)
            {
                break;
            }

            // A write committed between the check and the delete: the branch comes back at it, and the check runs again.
            await call.Pach.CreateBranchAsync(bucket.BranchRef, raced, call.Aborted).ConfigureAwait(false);
            if (attempt == _maxAttempts)
            {
                throw new S3Exception(S3Errors.OperationAborted) { BucketName = call.BucketName };
            }
        }

        try
        {
            await DeleteIfPresentAsync(call, GatewayBranch.Of(bucket)).ConfigureAwait(false);
            var repo = await call.Pach.InspectRepoAsync(bucket.RepoRef, call.Aborted).ConfigureAwait(false);
            if (repo.Branches.All(b => GatewayBranch.IsGatewayBranch(b.Name)))
            {
                // The last bucket of the repo: the repo goes, and the gateway branches of earlier buckets with it.
                await call.Pach.DeleteRepoAsync(bucket.RepoRef, cancellationToken: call.Aborted).ConfigureAwait(false);
            }
        }
        catch (PachException e) when (e.IsNotFound)
        {
            // Someone else removed the repo meanwhile.
        }

        return S3Response.Status(StatusCodes.Status204NoContent);
    }

    /// <summary>
    /// The newest commit below <paramref name="checkedHead"/> that has no children and that no branch of the repo
    /// points at: what the deleted branch's head had become by the time it was deleted; null when it was still
    /// <paramref name="checkedHead"/>. Commits of other branches that share the lineage are told apart by their
    /// branch heads.
    /// </summary>
    private static async Task<CommitRef?> FindRacedWriteAsync(IPachClient pach, BucketAddress bucket, string checkedHead, CancellationToken cancellationToken)
    {
        CommitInfo first;
        try
        {
            first = await pach.InspectCommitAsync(CommitRef.ById(bucket.RepoRef, checkedHead), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (PachException e) when (e.IsNotFound)
        {
            // The repo went meanwhile (a concurrent DeleteBucket of its last other bucket): nothing left to put back.
            return null;
        }

        if (first.ChildCommits.Count == 0)
        {
            return null;
        }

        var branchHeads = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var other in pach.ListBranchesAsync(bucket.RepoRef, cancellationToken).ConfigureAwait(false))
        {
            if (other.Head?.Id is { Length: > 0 } id)
            {
                branchHeads.Add(id);
            }
        }

        CommitInfo? newest = null;
        var seen = new HashSet<string>(StringComparer.Ordinal) { checkedHead };
        var pending = new Queue<Commit>(first.ChildCommits);
        while (pending.TryDequeue(out var next) && seen.Count < _maxCommitsWalked)
        {
            if (!seen.Add(next.Id))
            {
                continue;
            }

            var info = await pach.InspectCommitAsync(CommitRef.ById(bucket.RepoRef, next.Id), cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var child in info.ChildCommits)
            {
                pending.Enqueue(child);
            }

            var orphanedLeaf = info.ChildCommits.Count == 0 && !branchHeads.Contains(next.Id);
            if (orphanedLeaf && (newest is null || Started(info) > Started(newest)))
            {
                newest = info;
            }
        }

        return newest is null ? null : CommitRef.ById(bucket.RepoRef, newest.Commit.Id);
    }

    private static DateTimeOffset Started(CommitInfo info) => info.Started?.ToDateTimeOffset() ?? DateTimeOffset.MinValue;

    /// <summary>Deletes the bucket's gateway branch (its metadata and unfinished uploads), if it was ever created.</summary>
    private static async Task DeleteIfPresentAsync(S3Call call, BranchRef branch)
    {
        try
        {
            await call.Pach.DeleteBranchAsync(branch, cancellationToken: call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind == PachErrorKind.BranchNotFound)
        {
            // Never written to.
        }
    }

    /// <summary>True when the commit holds at least one file; NOT_FOUND on the root means empty.</summary>
    private static async Task<bool> HasAnyFileAsync(IPachClient pach, CommitRef commit, CancellationToken cancellationToken)
    {
        try
        {
            // Directories exist only through files, so any entry other than the root proves a file.
            await foreach (var info in pach.WalkFileAsync(new FileRef(commit, "/"), number: 2, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (info.FileType == FileType.File || (info.File?.Path is { } p && p != "/" && p.Length > 0))
                {
                    return true;
                }
            }

            return false;
        }
        catch (PachException e) when (e.Kind == PachErrorKind.FileNotFound)
        {
            return false;
        }
    }
}
