using Gateway.Core.Naming;
using Gateway.Pachyderm;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Objects;

/// <summary>
/// What one write through ModifyFile on a branch head did: the commit that made it and the file it left. pachd does not
/// say which commit a ModifyFile made, and other writers may commit on the branch meanwhile, so the branch head after a
/// write is not necessarily the write's own commit, nor its file the write's own content. The write is found in pachd's
/// history instead: among the commits made since the branch head seen before writing, the one in which the key changed
/// as this write changed it (one ListCommit and one DiffFile per commit in between; usually exactly one). LocalPachd
/// names the commit a write created (<see cref="PachClient.CreatedCommitTrailer"/>), and then no search is needed.
/// </summary>
/// <param name="CommitId">The commit that made the write (its version id).</param>
/// <param name="File">The file the write left (null for a deletion).</param>
/// <param name="Exact">
/// False when concurrent writes of the same key made the write impossible to tell apart (same size, and no way to read
/// the candidates back): then
/// <see cref="CommitId"/> and <see cref="File"/> are the newest candidate's, and nothing must be recorded for them.
/// </param>
internal sealed record OwnWrite(string CommitId, FileInfo? File, bool Exact)
{
    /// <summary>The most commits looked at (a write that waited behind more than this many others is not identified).</summary>
    private const int _maxCommits = 1000;

    /// <summary>
    /// The write to <paramref name="path"/> made on <paramref name="bucket"/>'s branch after its head was
    /// <paramref name="before"/>: the commit in which the file changed to content that <paramref name="matches"/> (or, when
    /// no commit changed it, the only commit made since: the write stored bytes identical to what was there). When
    /// several commits match (concurrent writes of the key), <paramref name="confirm"/> (reading a candidate back) picks
    /// the write's own. Null when it cannot be told.
    /// </summary>
    public static async Task<OwnWrite?> FindAsync(IPachClient pach, BucketAddress bucket, string? before, string path, Func<FileInfo?, bool> matches,
        CancellationToken cancellationToken, Func<FileRef, Task<bool>>? confirm = null)
    {
        var repo = bucket.RepoRef;
        var commits = new List<string>();
        await foreach (var commit in pach.ListCommitsAsync(repo, bucket.BranchRef.Head, _maxCommits, before is null ? null : CommitRef.ById(repo, before), cancellationToken).ConfigureAwait(false))
        {
            commits.Add(commit.Commit.Id);
        }

        var candidates = new List<OwnWrite>();
        foreach (var id in commits)
        {
            await foreach (var diff in pach.DiffFileAsync(new FileRef(CommitRef.ById(repo, id), path), null, cancellationToken).ConfigureAwait(false))
            {
                if (diff.Path == path && matches(diff.New))
                {
                    candidates.Add(new OwnWrite(id, diff.New, true));
                }
            }
        }

        switch (candidates.Count)
        {
            case 0:
                return commits.Count == 1 ? new OwnWrite(commits[0], null, true) : null;
            case 1:
                return candidates[0];
        }

        if (confirm is not null)
        {
            foreach (var candidate in candidates)
            {
                if (await confirm(new FileRef(CommitRef.ById(repo, candidate.CommitId), path)).ConfigureAwait(false))
                {
                    return candidate;
                }
            }
        }

        return candidates[0] with { Exact = false };
    }

    /// <summary>The object the write left, pinned to its commit; null for a deletion or when the file is unknown.</summary>
    public StoredObject? Object(BucketAddress bucket, string path) =>
        File is null ? null : StoredObject.From(File, CommitRef.ById(bucket.RepoRef, CommitId), path) with { VersionId = CommitId };
}
