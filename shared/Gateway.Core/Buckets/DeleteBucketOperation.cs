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
/// </summary>
internal sealed class DeleteBucketOperation : IGatewayOperation
{
    public async Task<S3Response> RunAsync(S3Call call)
    {
        var bucket = call.RequiredBucket;
        var branch = await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        var head = branch.Head is null ? bucket.BranchRef.Head : CommitRef.FromProto(branch.Head);
        if (await HasAnyFileAsync(call.Pach, head, call.Aborted).ConfigureAwait(false))
        {
            throw new S3Exception(S3Errors.BucketNotEmpty) { BucketName = call.BucketName };
        }

        try
        {
            await call.Pach.DeleteBranchAsync(bucket.BranchRef, cancellationToken: call.Aborted).ConfigureAwait(false);
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
            // Someone else removed the branch or the repo meanwhile: the bucket is gone either way.
        }

        return S3Response.Status(StatusCodes.Status204NoContent);
    }

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
