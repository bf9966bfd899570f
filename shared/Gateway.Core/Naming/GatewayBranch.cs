using Gateway.Pachyderm;

namespace Gateway.Core.Naming;

/// <summary>
/// The hidden branch beside each bucket's branch, <c>_s3gateway_&lt;branch&gt;</c> in the same repo, where the gateway
/// keeps what PFS has no place for: object metadata and multipart uploads in progress (docs/STATE.md). Being in the
/// same repo, it is under the same access rules as the data it describes; pipelines subscribe to named branches, so
/// none sees it; and it goes with the repo. It is created on first use and never listed as a bucket.
/// </summary>
internal static class GatewayBranch
{
    /// <summary>The name prefix of gateway branches (also the prefix of the gateway's own repos).</summary>
    public const string Prefix = BucketName.InternalRepoPrefix + "_";

    /// <summary>The gateway branch of <paramref name="bucket"/>'s branch.</summary>
    public static BranchRef Of(BucketAddress bucket) => new(bucket.RepoRef, Prefix + bucket.Branch);

    /// <summary>True for branch names the gateway keeps for itself.</summary>
    public static bool IsGatewayBranch(string branch) => branch.StartsWith(BucketName.InternalRepoPrefix, StringComparison.Ordinal);

    /// <summary>
    /// One ModifyFile (one commit) on the bucket's gateway branch, creating the branch first when it does not exist
    /// yet. The write is tried first, so the common path costs nothing extra.
    /// </summary>
    public static async Task ModifyAsync(IPachClient pach, BucketAddress bucket, Func<IModifyFileWriter, Task> write, CancellationToken cancellationToken)
    {
        var branch = Of(bucket);
        try
        {
            await pach.ModifyFileAsync(branch.Head, write, cancellationToken).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind == PachErrorKind.BranchNotFound)
        {
            await CreateAsync(pach, branch, cancellationToken).ConfigureAwait(false);
            await pach.ModifyFileAsync(branch.Head, write, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates the branch when missing. It is created only after InspectBranch says it is absent (CreateBranch on an
    /// existing branch could move its head), and a concurrent creation by another gateway instance is harmless.
    /// </summary>
    private static async Task CreateAsync(IPachClient pach, BranchRef branch, CancellationToken cancellationToken)
    {
        try
        {
            await pach.InspectBranchAsync(branch, cancellationToken).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind == PachErrorKind.BranchNotFound)
        {
            try
            {
                await pach.CreateBranchAsync(branch, null, cancellationToken).ConfigureAwait(false);
            }
            catch (PachException again) when (again.Kind == PachErrorKind.AlreadyExists)
            {
                // Another gateway instance created it first.
            }
        }
    }
}
