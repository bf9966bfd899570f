using System.Runtime.CompilerServices;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Errors;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Uploads;

/// <summary>
/// Reads and writes upload state on the bucket's gateway branch (<see cref="UploadLayout"/>) with the caller's pachd
/// client, so every multipart call is checked against the caller's access to the bucket's repo. Holds no state of
/// its own: every answer comes from pachd.
/// </summary>
internal static class UploadStore
{
    /// <summary>
    /// Writes the manifest of a new upload, and removes <paramref name="expired"/> upload directories, in one commit
    /// on the gateway branch (created on first use).
    /// </summary>
    public static Task CreateAsync(IPachClient pach, BucketAddress bucket, string key, string uploadId, DateTimeOffset initiated, ReadOnlyMemory<byte> manifest, IReadOnlyList<string> expired, CancellationToken cancellationToken)
    {
        var path = UploadLayout.ManifestPath(UploadLayout.UploadDirectory(key, uploadId), initiated);
        return GatewayBranch.ModifyAsync(pach, bucket, async w =>
        {
            await DeleteAllAsync(w, expired, cancellationToken).ConfigureAwait(false);
            await w.AddFileAsync(path, manifest, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>The upload the request names (bucket, key, <c>uploadId</c>), else NoSuchUpload (404).</summary>
    public static async Task<UploadInfo> RequireAsync(S3Call call, UploadExpiry expiry)
    {
        var uploadId = call.Target.Query.Get("uploadId") ?? string.Empty;
        return await FindAsync(call.Pach, call.RequiredBucket, call.Key, uploadId, expiry, call.Aborted).ConfigureAwait(false)
            ?? throw NoSuchUpload(uploadId);
    }

    /// <summary>Deletes each directory (recursively) in the ModifyFile being written.</summary>
    public static async Task DeleteAllAsync(IModifyFileWriter writer, IReadOnlyList<string> directories, CancellationToken cancellationToken)
    {
        foreach (var directory in directories)
        {
            await writer.DeleteFileAsync(directory, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>NoSuchUpload naming the id.</summary>
    public static S3Exception NoSuchUpload(string uploadId) =>
        new S3Exception(S3Errors.NoSuchUpload).WithDetail("UploadId", uploadId);

    /// <summary>One ModifyFile (one commit) on the bucket's gateway branch.</summary>
    public static Task ModifyAsync(IPachClient pach, BucketAddress bucket, Func<IModifyFileWriter, Task> write, CancellationToken cancellationToken) =>
        pach.ModifyFileAsync(UploadLayout.Head(bucket), write, cancellationToken);

    /// <summary>The upload, or null when it does not exist (never created, completed, aborted or expired).</summary>
    public static async Task<UploadInfo?> FindAsync(IPachClient pach, BucketAddress bucket, string key, string uploadId, UploadExpiry expiry, CancellationToken cancellationToken)
    {
        if (!UploadIds.IsValid(uploadId))
        {
            return null;
        }

        var directory = UploadLayout.UploadDirectory(key, uploadId);
        try
        {
            await foreach (var info in pach.GlobFileAsync(UploadLayout.Head(bucket), UploadLayout.ManifestGlob(directory), null, cancellationToken).ConfigureAwait(false))
            {
                if (info.FileType == FileType.File
                    && UploadLayout.TryParseManifestPath(info.File?.Path ?? string.Empty, out _, out _, out var initiated))
                {
                    return expiry.IsExpired(initiated) ? null : new UploadInfo(bucket, key, uploadId, initiated, info.File!.Path);
                }
            }
        }
        catch (PachException e) when (IsAbsent(e) && e.Kind != PachErrorKind.RepoNotFound)
        {
            // No gateway branch (yet) or no such directory: no such upload.
        }

        return null;
    }

    /// <summary>The receipt of the completed upload the request names; null when there is none (or it expired).</summary>
    public static async Task<UploadReceipt?> FindReceiptAsync(IPachClient pach, BucketAddress bucket, string key, string uploadId, UploadExpiry expiry, CancellationToken cancellationToken)
    {
        if (!UploadIds.IsValid(uploadId))
        {
            return null;
        }

        var head = UploadLayout.Head(bucket);
        string? path = null;
        try
        {
            await foreach (var info in pach.GlobFileAsync(head, UploadLayout.ReceiptGlob(UploadLayout.UploadDirectory(key, uploadId)), null, cancellationToken).ConfigureAwait(false))
            {
                if (info.FileType == FileType.File && UploadLayout.TryParseDatedEntry(info.File?.Path ?? string.Empty, out _, out var completed) && !expiry.IsExpired(completed))
                {
                    path = info.File!.Path;
                }
            }

            if (path is null)
            {
                return null;
            }

            var stream = await pach.GetFileAsync(new FileRef(head, path), 0, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var receipt = await UploadReceipt.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
                return receipt is not null && receipt.Key == key && receipt.UploadId == uploadId ? receipt : null;
            }
        }
        catch (PachException e) when (IsAbsent(e) && e.Kind != PachErrorKind.RepoNotFound)
        {
            return null;
        }
    }

    /// <summary>The upload's manifest (the object's metadata and tags); null when it cannot be read as one.</summary>
    public static async Task<UploadManifest?> ReadManifestAsync(IPachClient pach, UploadInfo upload, CancellationToken cancellationToken)
    {
        var stream = await pach.GetFileAsync(new FileRef(UploadLayout.Head(upload.Bucket), upload.ManifestPath), 0, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await UploadManifest.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The parts of an upload in ascending number, after <paramref name="afterPart"/>, at most
    /// <paramref name="limit"/> (0 = all). When a part directory somehow holds two files, the newest wins.
    /// </summary>
    public static async Task<List<StoredPart>> ListPartsAsync(IPachClient pach, UploadInfo upload, int afterPart = 0, int limit = 0, CancellationToken cancellationToken = default)
    {
        var parts = new List<StoredPart>();
        var directory = upload.Directory;
        if (afterPart >= UploadLayout.MaxPartNumber)
        {
            return parts;
        }

        var head = UploadLayout.Head(upload.Bucket);
        var range = new PathRange { Lower = UploadLayout.PartDirectory(directory, afterPart + 1) };
        try
        {
            await foreach (var info in pach.GlobFileAsync(head, UploadLayout.PartsGlob(directory), range, cancellationToken).ConfigureAwait(false))
            {
                var path = info.File?.Path ?? string.Empty;
                if (info.FileType != FileType.File)
                {
                    continue;
                }

                if (parts.Count > 0 && UploadLayout.TryParseChecksumPath(path, out var checksumOf, out var checksum) && parts[^1].Number == checksumOf)
                {
                    parts[^1] = parts[^1] with { Checksum = checksum };
                    continue;
                }

                if (parts.Count > 0 && UploadLayout.TryParseMd5Path(path, out var md5Of, out var md5) && parts[^1].Number == md5Of)
                {
                    parts[^1] = parts[^1] with { Md5 = md5 };
                    continue;
                }

                if (!UploadLayout.TryParsePartPath(path, out var number, out var uploaded) || number <= afterPart)
                {
                    continue;
                }

                // Pin copies to the commit the part was listed at.
                var commit = info.File?.Commit?.Id is { Length: > 0 } id ? CommitRef.ById(upload.Bucket.RepoRef, id) : head;
                var part = new StoredPart(number, path, info.SizeBytes, info.Hash, uploaded, commit);
                if (parts.Count > 0 && parts[^1].Number == number)
                {
                    parts[^1] = part;
                    continue;
                }

                if (limit > 0 && parts.Count == limit)
                {
                    // One more than asked for: the caller learns that the listing is truncated.
                    parts.Add(part);
                    break;
                }

                parts.Add(part);
            }
        }
        catch (PachException e) when (IsAbsent(e) && e.Kind != PachErrorKind.RepoNotFound)
        {
            // The parts directory does not exist yet: no parts.
        }

        return parts;
    }

    /// <summary>The manifests of a bucket's unexpired uploads in key order, within <paramref name="range"/>.</summary>
    public static async IAsyncEnumerable<UploadInfo> ListUploadsAsync(IPachClient pach, BucketAddress bucket, PathRange range, UploadExpiry expiry, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var items = pach.GlobFileAsync(UploadLayout.Head(bucket), UploadLayout.ManifestsGlob, range, cancellationToken);
        await using var e = items.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            FileInfo info;
            try
            {
                if (!await e.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }

                info = e.Current;
            }
            catch (PachException ex) when (IsAbsent(ex) && ex.Kind != PachErrorKind.RepoNotFound)
            {
                yield break;
            }

            var path = info.File?.Path ?? string.Empty;
            if (info.FileType == FileType.File && UploadLayout.TryParseManifestPath(path, out var key, out var uploadId, out var initiated) && !expiry.IsExpired(initiated))
            {
                yield return new UploadInfo(bucket, key, uploadId, initiated, path);
            }
        }
    }

    /// <summary>
    /// Removes every trace of the upload (recursive delete of its directory), and the <paramref name="expired"/>
    /// directories with it, in one commit.
    /// </summary>
    public static Task DeleteAsync(IPachClient pach, UploadInfo upload, IReadOnlyList<string> expired, CancellationToken cancellationToken) =>
        ModifyAsync(pach, upload.Bucket, async w =>
        {
            await w.DeleteFileAsync(upload.Directory, cancellationToken).ConfigureAwait(false);
            await DeleteAllAsync(w, expired, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Removes the upload's parts (and nothing else: a completed upload's receipt stays), in one commit.</summary>
    public static Task DeletePartsAsync(IPachClient pach, UploadInfo upload, CancellationToken cancellationToken) =>
        ModifyAsync(pach, upload.Bucket, w => w.DeleteFileAsync(UploadLayout.PartsDirectory(upload.Directory), cancellationToken), cancellationToken);

    /// <summary>True for pachd errors that mean "nothing there" (a missing repo still means a missing bucket).</summary>
    private static bool IsAbsent(PachException e) =>
        e.Kind is PachErrorKind.RepoNotFound or PachErrorKind.BranchNotFound or PachErrorKind.FileNotFound or PachErrorKind.CommitNotFound or PachErrorKind.NotAFile;
}
