using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Gateway.Core.Buckets;
using Gateway.Core.Metadata;
using Gateway.Core.Naming;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;

namespace Gateway.Core.History;

/// <summary>When a commit of the branch finished, and its position in the branch's history (the first commit is 1).</summary>
internal readonly record struct CommitMark(long Seq, DateTimeOffset Finished);

/// <summary>
/// The version history of one bucket (docs/HISTORY.md), brought up to date on open: an index of key changes on the
/// bucket's gateway branch, built from pachd's own history. Opening it compares the branch head with the index's
/// cursor and, when they differ, walks the commits in between (one ListCommit) and diffs each with its parent (one
/// DiffFile each), so its cost is the history added since the last open, never the whole of it. A history that does not
/// continue from the cursor (the branch was moved back or elsewhere) is rebuilt from the first commit.
/// <para>
/// A caller who may not write the gateway branch (read-only access with auth on) still gets a complete view: the
/// part of the history it could not store is kept in memory for this request and merged into every read.
/// </para>
/// </summary>
internal sealed class VersionHistory
{
    /// <summary>The description of the commits a version removal makes on the bucket's branch: they are not versions.</summary>
    public const string RestoreDescription = "s3gateway: restores the newest remaining version after a version removal";

    private const string _commitsRoot = "/history/commits/";
    private const string _removedRoot = "/history/removed/";
    private const string _cursorPath = "/history/cursor";
    private const int _commitsPerBatch = 500;

    /// <summary>
    /// One catch-up (or index change) per bucket at a time in this process: a listing that waits finds the work done, and
    /// a removal never races a catch-up that would write back the entry it hides.
    /// </summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> _catchUps = new(StringComparer.Ordinal);

    private readonly IPachClient _pach;
    private readonly BucketAddress _bucket;
    private readonly SortedSet<string> _tail = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CommitMark> _tailCommits = new(StringComparer.Ordinal);
    private bool _memoryOnly;
    private bool _ignoreStored;

    private VersionHistory(IPachClient pach, BucketAddress bucket)
    {
        _pach = pach;
        _bucket = bucket;
    }

    /// <summary>The gateway branch head the index is read from.</summary>
    private CommitRef IndexHead => GatewayBranch.Of(_bucket).Head;

    /// <summary>The history of <paramref name="bucket"/>'s branch (as just inspected), indexed up to its newest finished commit.</summary>
    public static async Task<VersionHistory> OpenAsync(IPachClient pach, BucketAddress bucket, BranchInfo branch, CancellationToken cancellationToken)
    {
        var gate = Gate(bucket);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await OpenLockedAsync(pach, bucket, branch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> with the bucket's history open and no other catch-up or change of the index by this
    /// process in between (version removals read the index, then change it).
    /// </summary>
    public static async Task<T> ChangeAsync<T>(IPachClient pach, BucketAddress bucket, BranchInfo branch, Func<VersionHistory, Task<T>> work, CancellationToken cancellationToken)
    {
        var gate = Gate(bucket);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work(await OpenLockedAsync(pach, bucket, branch, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<VersionHistory> OpenLockedAsync(IPachClient pach, BucketAddress bucket, BranchInfo branch, CancellationToken cancellationToken)
    {
        var history = new VersionHistory(pach, bucket);
        await history.CatchUpAsync(branch, cancellationToken).ConfigureAwait(false);
        return history;
    }

    private static SemaphoreSlim Gate(BucketAddress bucket) =>
        _catchUps.GetOrAdd($"{bucket.Project}/{bucket.Repo}@{bucket.Branch}", _ => new SemaphoreSlim(1, 1));

    /// <summary>The path of the marker that hides the version <paramref name="versionId"/> of <paramref name="key"/>.</summary>
    public static string RemovedPath(string key, string versionId) => _removedRoot + KeyCodec.EncodeForIndex(key) + " /" + versionId;

    /// <summary>Where a commit of the branch is recorded, or null for a string that is not a commit id.</summary>
    private static string CommitPath(string versionId) => _commitsRoot + versionId;

    /// <summary>
    /// The commit <paramref name="versionId"/> of the branch, or null when it is not one (not a commit id, another
    /// branch's commit, a commit still open).
    /// </summary>
    public async Task<CommitMark?> FindCommitAsync(string versionId, CancellationToken cancellationToken)
    {
        if (!BucketName.IsCommitId(versionId))
        {
            return null;
        }

        if (_tailCommits.TryGetValue(versionId, out var mark))
        {
            return mark;
        }

        return _ignoreStored ? null : ParseMark(await ReadSmallFileAsync(_pach, IndexHead, CommitPath(versionId), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The commit <paramref name="versionId"/> of <paramref name="bucket"/>'s branch as recorded, without catching up.</summary>
    public static async Task<CommitMark?> FindRecordedCommitAsync(IPachClient pach, BucketAddress bucket, string versionId, CancellationToken cancellationToken) =>
        BucketName.IsCommitId(versionId)
            ? ParseMark(await ReadSmallFileAsync(pach, GatewayBranch.Of(bucket).Head, CommitPath(versionId), cancellationToken).ConfigureAwait(false))
            : null;

    /// <summary>
    /// The commit <paramref name="commitId"/> of <paramref name="bucket"/>'s branch, or null when it is none: looked up in
    /// the index, which is brought up to date only when the commit is not there yet (a commit just made). NoSuchBucket
    /// (named <paramref name="bucketName"/>) when the branch does not exist.
    /// </summary>
    public static async Task<CommitMark?> FindBranchCommitAsync(IPachClient pach, BucketAddress bucket, string bucketName, string commitId, CancellationToken cancellationToken)
    {
        if (await FindRecordedCommitAsync(pach, bucket, commitId, cancellationToken).ConfigureAwait(false) is { } mark)
        {
            return mark;
        }

        var branch = await BucketGuard.RequireAsync(pach, bucket, bucketName, cancellationToken).ConfigureAwait(false);
        var history = await OpenAsync(pach, bucket, branch, cancellationToken).ConfigureAwait(false);
        return await history.FindCommitAsync(commitId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the version <paramref name="versionId"/> of <paramref name="key"/> was removed through the gateway.</summary>
    public static async Task<bool> IsRemovedAsync(IPachClient pach, BucketAddress bucket, string key, string versionId, CancellationToken cancellationToken)
    {
        try
        {
            await pach.InspectFileAsync(new FileRef(GatewayBranch.Of(bucket).Head, RemovedPath(key, versionId)), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PachException e) when (e.Kind is PachErrorKind.BranchNotFound or PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
        {
            return false;
        }
    }

    /// <summary>
    /// Every entry path in [<paramref name="lower"/>, <paramref name="upper"/>) in path order (which is S3's version
    /// order): the stored index read from the position on, merged with what is only in memory.
    /// </summary>
    public async IAsyncEnumerable<string> PathsAsync(string lower, string? upper, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tail = _tail.Where(p => string.CompareOrdinal(p, lower) >= 0 && (upper is null || string.CompareOrdinal(p, upper) < 0)).ToList();
        var next = 0;
        if (!_ignoreStored)
        {
            await foreach (var path in StoredPathsAsync(lower, upper, cancellationToken).ConfigureAwait(false))
            {
                for (; next < tail.Count && string.CompareOrdinal(tail[next], path) <= 0; next++)
                {
                    if (tail[next] != path)
                    {
                        yield return tail[next];
                    }
                }

                yield return path;
            }
        }

        for (; next < tail.Count; next++)
        {
            yield return tail[next];
        }
    }

    /// <summary>The versions of <paramref name="key"/>, newest first.</summary>
    public async IAsyncEnumerable<VersionEntry> VersionsOfAsync(string key, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var path in PathsAsync(VersionEntry.KeyDirectory(key), VersionEntry.AfterKey(key), cancellationToken).ConfigureAwait(false))
        {
            if (VersionEntry.TryParse(path, out var entry) && entry.Key == key)
            {
                yield return entry;
            }
        }
    }

    private async IAsyncEnumerable<string> StoredPathsAsync(string lower, string? upper, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var range = new PathRange { Lower = lower };
        if (upper is not null)
        {
            range.Upper = upper;
        }

        var files = _pach.GlobFileAsync(IndexHead, VersionEntry.Root + "**", range, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (files.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await files.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (PachException e) when (e.Kind is PachErrorKind.BranchNotFound or PachErrorKind.FileNotFound)
                {
                    // No gateway branch, or no index on it yet.
                    yield break;
                }

                if (files.Current.FileType == FileType.File && files.Current.File?.Path is { } path)
                {
                    yield return path;
                }
            }
        }
    }

    private async Task CatchUpAsync(BranchInfo branch, CancellationToken cancellationToken)
    {
        if (branch.Head?.Id is not { Length: > 0 } head)
        {
            return;
        }

        var cursor = ParseCursor(await ReadSmallFileAsync(_pach, IndexHead, _cursorPath, cancellationToken).ConfigureAwait(false));
        if (cursor?.Head == head)
        {
            return;
        }

        // The head was read before the cursor: another catch-up (here after the gate, or in another gateway) may have
        // indexed past it. Looked at again now, the head is at least as new as the cursor, unless the branch really moved
        // back (then the walk below does not meet the cursor and the index is rebuilt).
        head = (await _pach.InspectBranchAsync(_bucket.BranchRef, cancellationToken).ConfigureAwait(false)).Head?.Id ?? head;
        if (cursor?.Head == head)
        {
            return;
        }

        var commits = await WalkAsync(head, cursor?.Head, cancellationToken).ConfigureAwait(false);
        var continues = cursor is not null && commits.Count > 0 && commits[^1].ParentCommit?.Id == cursor.Value.Head;
        if (!continues && cursor is not null && (commits.Count == 0 || commits[^1].ParentCommit is not null))
        {
            commits = await WalkAsync(head, null, cancellationToken).ConfigureAwait(false);
        }

        // Oldest first, and only the finished ones: an open commit may still change.
        commits.Reverse();
        var finished = commits.TakeWhile(c => c.Finished is not null).ToList();
        var rebuild = !continues;
        var removed = rebuild ? await ReadRemovedAsync(cancellationToken).ConfigureAwait(false) : [];
        var seq = rebuild ? 0 : cursor!.Value.Seq;
        var first = true;
        foreach (var batch in finished.Chunk(_commitsPerBatch))
        {
            var entries = new List<VersionEntry>();
            var marks = new List<(string Id, CommitMark Mark)>(batch.Length);
            foreach (var commit in batch)
            {
                var mark = new CommitMark(++seq, commit.Finished.ToDateTimeOffset());
                marks.Add((commit.Commit.Id, mark));
                if (commit.Description != RestoreDescription)
                {
                    entries.AddRange(await ChangesAsync(commit.Commit.Id, mark, removed, cancellationToken).ConfigureAwait(false));
                }
            }

            entries = [.. await WithETagsAsync(_pach, _bucket, entries, cancellationToken).ConfigureAwait(false)];
            await StoreAsync(entries, marks, clear: rebuild && first, cancellationToken).ConfigureAwait(false);
            first = false;
        }

        if (rebuild && finished.Count == 0)
        {
            // Nothing finished yet: still forget an index of another history.
            await StoreAsync([], [], clear: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The branch's commits from <paramref name="head"/> back to <paramref name="stop"/> (exclusive), newest first.</summary>
    private async Task<List<CommitInfo>> WalkAsync(string head, string? stop, CancellationToken cancellationToken)
    {
        var repo = _bucket.RepoRef;
        var commits = new List<CommitInfo>();
        await foreach (var commit in _pach.ListCommitsAsync(repo, CommitRef.ById(repo, head), from: stop is null ? null : CommitRef.ById(repo, stop), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            commits.Add(commit);
        }

        return commits;
    }

    /// <summary>The keys <paramref name="commitId"/> changed, as entries (a key changed twice in it counts once).</summary>
    private async Task<IEnumerable<VersionEntry>> ChangesAsync(string commitId, CommitMark mark, HashSet<string> removed, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<string, VersionEntry>(StringComparer.Ordinal);
        var commit = CommitRef.ById(_bucket.RepoRef, commitId);
        await foreach (var diff in _pach.DiffFileAsync(new FileRef(commit, "/"), null, cancellationToken).ConfigureAwait(false))
        {
            var key = ObjectKey.FromPath(diff.Path);
            if (key.Length == 0 || removed.Contains(RemovedPath(key, commitId)))
            {
                continue;
            }

            var entry = diff.New is { } now
                ? new VersionEntry(key, commitId, mark.Seq, mark.Finished, false, Convert.ToHexStringLower(now.Hash.Span), now.SizeBytes, null)
                : new VersionEntry(key, commitId, mark.Seq, mark.Finished, true, string.Empty, 0, null);
            if (!byKey.TryGetValue(key, out var seen) || seen.IsDeleteMarker)
            {
                byKey[key] = entry;
            }
        }

        return byKey.Values;
    }

    /// <summary><paramref name="entries"/> with the ETags the gateway recorded for their content, for those that have none yet.</summary>
    public static async Task<VersionEntry[]> WithETagsAsync(IPachClient pach, BucketAddress bucket, IEnumerable<VersionEntry> entries, CancellationToken cancellationToken)
    {
        var result = entries.ToArray();
        var missing = Enumerable.Range(0, result.Length).Where(i => !result[i].IsDeleteMarker && result[i].ETag is null).ToList();
        var etags = await ObjectRecords.ReadETagsAsync(pach, bucket, [.. missing.Select(i => (result[i].Key, result[i].Hash, result[i].Size))], cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < missing.Count; j++)
        {
            if (etags[j] is { } etag)
            {
                result[missing[j]] = result[missing[j]] with { ETag = etag };
            }
        }

        return result;
    }

    /// <summary>
    /// Stores a batch and moves the cursor past it, in one commit on the gateway branch (so a crash loses nothing but the
    /// batch's work). A caller without write access keeps it in memory instead.
    /// </summary>
    private async Task StoreAsync(List<VersionEntry> entries, List<(string Id, CommitMark Mark)> marks, bool clear, CancellationToken cancellationToken)
    {
        if (!_memoryOnly)
        {
            try
            {
                await GatewayBranch.ModifyAsync(_pach, _bucket, async w =>
                {
                    if (clear)
                    {
                        await w.DeleteFileAsync(VersionEntry.Root, cancellationToken).ConfigureAwait(false);
                        await w.DeleteFileAsync(_commitsRoot, cancellationToken).ConfigureAwait(false);
                    }

                    foreach (var entry in entries)
                    {
                        await w.DeleteFileAsync(entry.Path, cancellationToken).ConfigureAwait(false);
                        await w.AddFileAsync(entry.Path, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                    }

                    foreach (var (id, mark) in marks)
                    {
                        await ReplaceAsync(w, CommitPath(id), FormatMark(mark), cancellationToken).ConfigureAwait(false);
                    }

                    if (marks.Count > 0)
                    {
                        await ReplaceAsync(w, _cursorPath, marks[^1].Id + " " + marks[^1].Mark.Seq.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
                    }
                    else if (clear)
                    {
                        await w.DeleteFileAsync(_cursorPath, cancellationToken).ConfigureAwait(false);
                    }
                }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PachException e) when (e.Kind == PachErrorKind.NotAuthorized)
            {
                // Read-only caller: this request works from memory from here on.
                _memoryOnly = true;
                _ignoreStored |= clear;
            }
        }

        foreach (var entry in entries)
        {
            _tail.Add(entry.Path);
        }

        foreach (var (id, mark) in marks)
        {
            _tailCommits[id] = mark;
        }
    }

    private async Task<HashSet<string>> ReadRemovedAsync(CancellationToken cancellationToken)
    {
        var removed = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var info in _pach.GlobFileAsync(IndexHead, _removedRoot + "**", null, cancellationToken).ConfigureAwait(false))
            {
                if (info.FileType == FileType.File && info.File?.Path is { } path)
                {
                    removed.Add(path);
                }
            }
        }
        catch (PachException e) when (e.Kind is PachErrorKind.BranchNotFound or PachErrorKind.FileNotFound)
        {
            // Nothing was ever removed.
        }

        return removed;
    }

    private static async Task ReplaceAsync(IModifyFileWriter writer, string path, string content, CancellationToken cancellationToken)
    {
        await writer.DeleteFileAsync(path, cancellationToken).ConfigureAwait(false);
        await writer.AddFileAsync(path, Encoding.ASCII.GetBytes(content), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A small file of the gateway branch as text, or null when it (or the branch) is not there.</summary>
    private static async Task<string?> ReadSmallFileAsync(IPachClient pach, CommitRef commit, string path, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await pach.GetFileAsync(new FileRef(commit, path), 0, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var reader = new StreamReader(stream, Encoding.ASCII);
                return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PachException e) when (e.Kind is PachErrorKind.BranchNotFound or PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
        {
            return null;
        }
    }

    private static string FormatMark(CommitMark mark) =>
        mark.Seq.ToString(CultureInfo.InvariantCulture) + " " + mark.Finished.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static CommitMark? ParseMark(string? text) =>
        text?.Split(' ') is [var seq, var ms]
        && long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
        && long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            ? new CommitMark(s, DateTimeOffset.FromUnixTimeMilliseconds(m))
            : null;

    private static (string Head, long Seq)? ParseCursor(string? text) =>
        text?.Split(' ') is [var head, var seq] && BucketName.IsCommitId(head) && long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? (head, s)
            : null;
}
