using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Errors;

namespace Gateway.Core.Buckets;

/// <summary>Bucket existence checks (InspectBranch).</summary>
internal static class BucketGuard
{
    /// <summary>The request's bucket branch; NoSuchBucket when it (or its repo or project) does not exist.</summary>
    public static Task<BranchInfo> RequireAsync(S3Call call) => RequireAsync(call.Pach, call.RequiredBucket, call.BucketName, call.Aborted);

    /// <summary>The branch of <paramref name="bucket"/>; NoSuchBucket naming <paramref name="name"/> when it does not exist.</summary>
    public static async Task<BranchInfo> RequireAsync(IPachClient pach, BucketAddress bucket, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await pach.InspectBranchAsync(bucket.BranchRef, cancellationToken).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.RepoNotFound or PachErrorKind.BranchNotFound or PachErrorKind.ProjectNotFound)
        {
            throw new S3Exception(S3Errors.NoSuchBucket) { BucketName = name };
        }
    }
}
