using Gateway.Core.Metadata;
using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Xml.Documents;

namespace Gateway.Core.History;

/// <summary>
/// DeleteObject(s) with a <c>versionId</c> (docs/HISTORY.md). Pachyderm's history is immutable, so removing a version
/// hides it from S3 — from version listings and from <c>versionId</c> reads — while pachd keeps it. When the version
/// removed is a key's newest, the key's current content becomes the newest version that remains, written as one new
/// commit on the branch (restoring it, or deleting the key when none remains); that commit carries
/// <see cref="VersionHistory.RestoreDescription"/> and is not a version itself. So removing every version of a key,
/// in any order and in any number of requests, leaves it absent, as on S3. A version id the key does not have
/// removes nothing and answers success, as S3 does.
/// </summary>
internal static class VersionRemoval
{
    private static readonly TimeSpan _openCommitWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Removes the versions <paramref name="requests"/> name: at most one commit on the branch (the restores) and one on
    /// the gateway branch (the hiding), whatever their number. Returns what each removed, in request order.
    /// </summary>
    public static Task<IReadOnlyList<S3Deleted>> RemoveAsync(IPachClient pach, BucketAddress bucket, BranchInfo branch, IReadOnlyList<(string Key, string VersionId)> requests, CancellationToken cancellationToken) =>
        VersionHistory.ChangeAsync(pach, bucket, branch, history => RemoveAsync(pach, bucket, history, requests, cancellationToken), cancellationToken);

    private static async Task<IReadOnlyList<S3Deleted>> RemoveAsync(IPachClient pach, BucketAddress bucket, VersionHistory history, IReadOnlyList<(string Key, string VersionId)> requests, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, string), VersionEntry>();
        var hidden = new List<VersionEntry>();
        var restores = new List<(string Key, VersionEntry? Target)>();
        foreach (var group in requests.GroupBy(r => r.Key, StringComparer.Ordinal))
        {
            if (!ObjectKey.IsStorable(group.Key))
            {
                continue;
            }

            var versions = new List<VersionEntry>();
            await foreach (var version in history.VersionsOfAsync(group.Key, cancellationToken).ConfigureAwait(false))
            {
                versions.Add(version);
            }

            var removing = group.Select(r => r.VersionId).ToHashSet(StringComparer.Ordinal);
            var removed = versions.Where(v => removing.Contains(v.VersionId)).ToList();
            if (removed.Count == 0)
            {
                continue;
            }

            foreach (var version in removed)
            {
                found[(group.Key, version.VersionId)] = version;
            }

            hidden.AddRange(removed);
            if (removing.Contains(versions[0].VersionId))
            {
                restores.Add((group.Key, versions.FirstOrDefault(v => !removing.Contains(v.VersionId))));
            }
        }

        if (restores.Count > 0)
        {
            await RestoreAsync(pach, bucket, restores, cancellationToken).ConfigureAwait(false);
        }

        if (hidden.Count > 0)
        {
            var records = await RecordsOfAsync(pach, bucket, restores, cancellationToken).ConfigureAwait(false);
            await GatewayBranch.ModifyAsync(pach, bucket, async w =>
            {
                foreach (var version in hidden)
                {
                    await w.DeleteFileAsync(version.Path, cancellationToken).ConfigureAwait(false);
                    await w.DeleteFileAsync(VersionHistory.RemovedPath(version.Key, version.VersionId), cancellationToken).ConfigureAwait(false);
                    await w.AddFileAsync(VersionHistory.RemovedPath(version.Key, version.VersionId), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                }

                foreach (var (key, target) in restores)
                {
                    // The listing entry follows the content restored (or goes with the key).
                    await w.DeleteFileAsync(ObjectIndex.EntryDirectory(key), cancellationToken).ConfigureAwait(false);
                    if (records.GetValueOrDefault(key) is { } record)
                    {
                        await ObjectRecords.WriteAsync(w, key, record, cancellationToken).ConfigureAwait(false);
                    }
                    else if (target is { IsDeleteMarker: true } marker)
                    {
                        // The key is deleted again, by that marker: reads answer with it.
                        await w.AddFileAsync(ObjectIndex.DeletionPath(key, marker.VersionId), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                    }
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        return [.. requests.Select(r => found.TryGetValue((r.Key, r.VersionId), out var v) && v.IsDeleteMarker
            ? new S3Deleted(r.Key, r.VersionId, DeleteMarker: true, DeleteMarkerVersionId: r.VersionId)
            : new S3Deleted(r.Key, r.VersionId))];
    }

    /// <summary>
    /// One commit on the branch that gives each key the content of its newest remaining version (a copy from that
    /// commit: no data moves), or deletes it when none remains or the newest remaining is a delete marker.
    /// </summary>
    private static async Task RestoreAsync(IPachClient pach, BucketAddress bucket, List<(string Key, VersionEntry? Target)> restores, CancellationToken cancellationToken)
    {
        var sources = new Dictionary<string, FileRef>(StringComparer.Ordinal);
        foreach (var (key, target) in restores)
        {
            if (target is { IsDeleteMarker: false } && await StoredFileAsync(pach, CommitRef.ById(bucket.RepoRef, target.VersionId), key, cancellationToken).ConfigureAwait(false) is { } source)
            {
                sources[key] = source;
            }
        }

        var commit = await StartCommitAsync(pach, bucket, cancellationToken).ConfigureAwait(false);
        try
        {
            await pach.ModifyFileAsync(commit, async w =>
            {
                foreach (var (key, _) in restores)
                {
                    await ObjectUpload.ReplaceAsync(w, key, cancellationToken).ConfigureAwait(false);
                    if (sources.TryGetValue(key, out var source))
                    {
                        await w.CopyFileAsync(ObjectKey.ToPath(key), source, cancellationToken: cancellationToken).ConfigureAwait(false);
                    }
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Finished whatever happened: a failed stream applied nothing, and an empty restore commit changes nothing.
            await pach.FinishCommitAsync(commit, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts the restore commit. pachd allows one open commit per branch, so while another writer's commit is open
    /// (a PUT streaming its body, say) this waits for it, up to about <see cref="_openCommitWait"/>.
    /// </summary>
    private static async Task<CommitRef> StartCommitAsync(IPachClient pach, BucketAddress bucket, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            try
            {
                return await pach.StartCommitAsync(bucket.BranchRef, description: VersionHistory.RestoreDescription, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (PachException e) when (e.Kind == PachErrorKind.CommitNotFinished && waited < _openCommitWait)
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                waited += pause;
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
            }
        }
    }

    /// <summary>The file holding <paramref name="key"/> at <paramref name="commit"/> (its encoded path, else its literal alias).</summary>
    private static async Task<FileRef?> StoredFileAsync(IPachClient pach, CommitRef commit, string key, CancellationToken cancellationToken)
    {
        foreach (var path in ObjectKey.StoredPaths(key))
        {
            try
            {
                var info = await pach.InspectFileAsync(new FileRef(commit, path), cancellationToken).ConfigureAwait(false);
                if (info.FileType == FileType.File)
                {
                    return new FileRef(commit, path);
                }
            }
            catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
            {
                // Try the next form.
            }
        }

        return null;
    }

    /// <summary>The records of the contents restored, by key (none for keys left absent or content without one).</summary>
    private static async Task<Dictionary<string, ObjectRecord>> RecordsOfAsync(IPachClient pach, BucketAddress bucket, List<(string Key, VersionEntry? Target)> restores, CancellationToken cancellationToken)
    {
        var records = new Dictionary<string, ObjectRecord>(StringComparer.Ordinal);
        foreach (var (key, target) in restores)
        {
            if (target is { IsDeleteMarker: false } && await ObjectRecords.ReadAsync(pach, bucket, key, target.Hash, target.Size, cancellationToken).ConfigureAwait(false) is { } record)
            {
                records[key] = record;
            }
        }

        return records;
    }
}
