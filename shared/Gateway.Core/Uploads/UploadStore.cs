using System.Runtime.CompilerServices;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Errors;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Uploads;

/// <summary>
/// Reads and writes upload state in the uploads repo (<see cref="UploadLayout"/>) with the caller's pachd client.
/// Holds no state of its own: every answer comes from pachd.
/// </summary>
internal static class UploadStore
{
    /// <summary>
    /// Writes the manifest of a new upload (one commit). The repo is created on first use: the write is tried first,
    /// so the common path costs nothing extra.
    /// </summary>
    public static async Task CreateAsync(IPachClient pach, string bucketName, BucketAddress bucket, string key, string uploadId, DateTimeOffset initiated, CancellationToken cancellationToken)
    {
        var path = UploadLayout.ManifestPath(UploadLayout.UploadDirectory(bucket, key, uploadId), initiated);
        var manifest = UploadManifest.Serialize(bucketName, bucket, key, uploadId, initiated);
        Task WriteManifestAsync() => ModifyAsync(pach, w => w.AddFileAsync(path, manifest, cancellationToken), cancellationToken);
        try
        {
            await WriteManifestAsync().ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.RepoNotFound or PachErrorKind.BranchNotFound)
        {
            try
            {
                await EnsureRepoAsync(pach, cancellationToken).ConfigureAwait(false);
            }
            catch (PachException denied) when (denied.Kind == PachErrorKind.NotAuthorized)
            {
                throw UploadsRepoDenied();
            }

            await WriteManifestAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The upload the request names (bucket, key, <c>uploadId</c>), else NoSuchUpload (404).</summary>
    public static async Task<UploadInfo> RequireAsync(S3Call call)
    {
        var uploadId = call.Target.Query.Get("uploadId") ?? string.Empty;
        return await FindAsync(call.Pach, call.RequiredBucket, call.Key, uploadId, call.Aborted).ConfigureAwait(false)
            ?? throw NoSuchUpload(uploadId);
    }

    /// <summary>NoSuchUpload naming the id.</summary>
    public static S3Exception NoSuchUpload(string uploadId) =>
        new S3Exception(S3Errors.NoSuchUpload).WithDetail("UploadId", uploadId);

    /// <summary>
    /// One ModifyFile (one commit) on the uploads repo. Under pachd auth the repo belongs to whoever created it, so a
    /// refusal is AccessDenied that says why: other callers need write access to it granted by an admin.
    /// </summary>
    public static async Task ModifyAsync(IPachClient pach, Func<IModifyFileWriter, Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await pach.ModifyFileAsync(UploadLayout.Head, write, cancellationToken).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind == PachErrorKind.NotAuthorized)
        {
            throw UploadsRepoDenied();
        }
    }

    /// <summary>The upload, or null when it does not exist (never created, completed or aborted).</summary>
    public static async Task<UploadInfo?> FindAsync(IPachClient pach, BucketAddress bucket, string key, string uploadId, CancellationToken cancellationToken)
    {
        if (!UploadIds.IsValid(uploadId))
        {
            return null;
        }

        var directory = UploadLayout.UploadDirectory(bucket, key, uploadId);
        var bucketDirectory = UploadLayout.BucketDirectory(bucket);
        try
        {
            await foreach (var info in pach.GlobFileAsync(UploadLayout.Head, UploadLayout.ManifestGlob(directory), null, cancellationToken).ConfigureAwait(false))
            {
                if (info.FileType == FileType.File
                    && UploadLayout.TryParseManifestPath(bucketDirectory, info.File?.Path ?? string.Empty, out _, out _, out var initiated))
                {
                    return new UploadInfo(bucket, key, uploadId, initiated);
                }
            }
        }
        catch (PachException e) when (IsAbsent(e))
        {
            // No uploads repo (yet) or no such directory: no such upload.
        }

        return null;
    }

    /// <summary>
    /// The parts of an upload in ascending number, after <paramref name="afterPart"/>, at most
    /// <paramref name="limit"/> (0 = all). When a part directory somehow holds two files, the newest wins.
    /// </summary>
    public static async Task<List<StoredPart>> ListPartsAsync(IPachClient pach, UploadInfo upload, int afterPart = 0, int limit = 0, CancellationToken cancellationToken = default)
    {
        var parts = new List<StoredPart>();
        var directory = upload.Directory;
        var range = new PathRange { Lower = UploadLayout.PartDirectory(directory, Math.Min(afterPart + 1, UploadLayout.MaxPartNumber)) };
        if (afterPart >= UploadLayout.MaxPartNumber)
        {
            return parts;
        }

        try
        {
            await foreach (var info in pach.GlobFileAsync(UploadLayout.Head, UploadLayout.PartsGlob(directory), range, cancellationToken).ConfigureAwait(false))
            {
                var path = info.File?.Path ?? string.Empty;
                if (info.FileType == FileType.File && parts.Count > 0
                    && UploadLayout.TryParseChecksumPath(path, out var checksumOf, out var checksum) && parts[^1].Number == checksumOf)
                {
                    parts[^1] = parts[^1] with { Checksum = checksum };
                    continue;
                }

                if (info.FileType != FileType.File || !UploadLayout.TryParsePartPath(path, out var number, out var uploaded) || number <= afterPart)
                {
                    continue;
                }

                // Pin copies to the commit the part was listed at; the repo is always ours (never trust the echo).
                var commit = info.File?.Commit?.Id is { Length: > 0 } id ? CommitRef.ById(UploadLayout.Repo, id) : UploadLayout.Head;

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
        catch (PachException e) when (IsAbsent(e))
        {
            // The parts directory does not exist yet: no parts.
        }

        return parts;
    }

    /// <summary>The manifests of a bucket's uploads in key order, within <paramref name="range"/>.</summary>
    public static async IAsyncEnumerable<UploadInfo> ListUploadsAsync(IPachClient pach, BucketAddress bucket, PathRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var bucketDirectory = UploadLayout.BucketDirectory(bucket);
        var items = pach.GlobFileAsync(UploadLayout.Head, UploadLayout.BucketManifestsGlob(bucket), range, cancellationToken);
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
            catch (PachException ex) when (IsAbsent(ex))
            {
                yield break;
            }

            if (info.FileType == FileType.File
                && UploadLayout.TryParseManifestPath(bucketDirectory, info.File?.Path ?? string.Empty, out var key, out var uploadId, out var initiated))
            {
                yield return new UploadInfo(bucket, key, uploadId, initiated);
            }
        }
    }

    /// <summary>Removes every trace of the upload (recursive delete of its directory; one commit).</summary>
    public static Task DeleteAsync(IPachClient pach, UploadInfo upload, CancellationToken cancellationToken) =>
        ModifyAsync(pach, w => w.DeleteFileAsync(upload.Directory, cancellationToken), cancellationToken);

    /// <summary>True for pachd errors that mean "nothing there".</summary>
    public static bool IsAbsent(PachException e) =>
        e.Kind is PachErrorKind.RepoNotFound or PachErrorKind.BranchNotFound or PachErrorKind.FileNotFound or PachErrorKind.CommitNotFound or PachErrorKind.NotAFile;

    private static S3Exception UploadsRepoDenied() =>
        new(S3Errors.AccessDenied, $"Multipart uploads need write access to the Pachyderm repo {UploadLayout.RepoName} (project default); ask a Pachyderm admin to grant it.");

    /// <summary>
    /// Creates the uploads repo (upsert, so concurrent gateways race harmlessly) and its branch when missing. The
    /// branch is created only after InspectBranch says it is absent: CreateBranch on an existing branch could move
    /// its head.
    /// </summary>
    private static async Task EnsureRepoAsync(IPachClient pach, CancellationToken cancellationToken)
    {
        await pach.CreateRepoAsync(UploadLayout.Repo, "S3 gateway multipart uploads in progress", update: true, cancellationToken).ConfigureAwait(false);
        try
        {
            await pach.InspectBranchAsync(UploadLayout.Branch, cancellationToken).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind == PachErrorKind.BranchNotFound)
        {
            try
            {
                await pach.CreateBranchAsync(UploadLayout.Branch, null, cancellationToken).ConfigureAwait(false);
            }
            catch (PachException again) when (again.Kind == PachErrorKind.AlreadyExists)
            {
                // Another gateway instance created it first.
            }
        }
    }
}
