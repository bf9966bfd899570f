using Gateway.Core.Dispatch;
using Gateway.Core.Errors;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Errors;

namespace Gateway.Core.Buckets;

/// <summary>Bucket existence checks (InspectBranch), mapped to S3 errors.</summary>
internal static class BucketGuard
{
    /// <summary>The bucket's branch; NoSuchBucket when it (or its repo or project) does not exist.</summary>
    public static async Task<BranchInfo> RequireAsync(S3Call call)
    {
        try
        {
            return await call.Pach.InspectBranchAsync(call.RequiredBucket.BranchRef, call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Bucket, call.BucketName);
        }
    }

    /// <summary>
    /// The error for a file lookup that failed with NOT_FOUND: NoSuchBucket when the branch is missing
    /// (checked only now, to save a round trip on the common path), else NoSuchKey.
    /// </summary>
    public static async Task<S3Exception> MissingKeyAsync(S3Call call)
    {
        await RequireAsync(call).ConfigureAwait(false);
        return new S3Exception(S3Errors.NoSuchKey) { Key = call.Key };
    }
}
