using Gateway.Pachyderm;

namespace Gateway.Core.Naming;

/// <summary>
/// What an S3 bucket name points at in PFS: a branch of a repo in a project, optionally pinned to one commit
/// (then every read happens at that commit and writes target that commit).
/// </summary>
internal sealed record BucketAddress(string Project, string Repo, string Branch, string? CommitId)
{
    /// <summary>The repo.</summary>
    public RepoRef RepoRef => new(Project, Repo);

    /// <summary>The branch.</summary>
    public BranchRef BranchRef => new(RepoRef, Branch);

    /// <summary>Where reads happen: the pinned commit, else the branch head.</summary>
    public CommitRef ReadCommit => CommitId is null ? BranchRef.Head : new CommitRef(RepoRef, Branch, CommitId);

    /// <summary>Where writes go: the same as reads (a pinned, finished commit makes pachd refuse the write).</summary>
    public CommitRef WriteCommit => ReadCommit;

    /// <summary>True for repos and branches the gateway keeps for itself (never listed, never addressable).</summary>
    public bool IsInternal => BucketName.IsInternalRepo(Repo) || GatewayBranch.IsGatewayBranch(Branch);

    /// <summary>The branch this bucket is, as one string (project/repo@branch): a key for per-bucket state.</summary>
    public string BranchKey => Project + "/" + Repo + "@" + Branch;

    /// <summary>The name ListBuckets uses for this branch: <c>branch.repo</c>, or <c>branch.repo.project</c> outside the default project.</summary>
    public string ListingName => BucketName.Format(Project, Repo, Branch);
}
