using Gateway.Core.Buckets;
using Gateway.Core.History;
using Gateway.Core.Metadata;
using Gateway.Core.Naming;
using Gateway.Pachyderm;
using Gateway.S3.Errors;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Objects;

/// <summary>
/// The one way an object is looked up (GET/HEAD, copy sources, tagging, conditional writes): the key rules, the
/// version, one InspectFile, the gateway's record of that content (one GetFile on the gateway branch), and S3's
/// not-found answers — NoSuchBucket when the bucket is missing (checked only after a miss, to save a round trip on
/// the common path), NoSuchVersion for an unknown commit, else NoSuchKey.
/// </summary>
internal static class ObjectLookup
{
    /// <summary>The object version <paramref name="address"/> names; NoSuchBucket / NoSuchVersion / NoSuchKey when absent.</summary>
    public static async Task<StoredObject> FindAsync(IPachClient pach, ObjectAddress address, CancellationToken cancellationToken)
    {
        if (address.VersionId is { } versionId)
        {
            await RequireVersionAsync(pach, address, versionId, cancellationToken).ConfigureAwait(false);
        }

        if (!ObjectKey.IsStorable(address.Key))
        {
            // PFS cannot hold such a key, so nothing is there; still tell a missing bucket apart.
            throw await NotFoundAsync(pach, address, commitMissing: false, cancellationToken).ConfigureAwait(false);
        }

        var commit = address.Commit;
        FileInfo? info = null;
        try
        {
            foreach (var path in ObjectKey.StoredPaths(address.Key))
            {
                info = await InspectAsync(pach, new FileRef(commit, path), cancellationToken).ConfigureAwait(false);
                if (info is not null)
                {
                    break;
                }
            }
        }
        catch (PachException e) when (e.IsNotFound)
        {
            throw await NotFoundAsync(pach, address, e.Kind == PachErrorKind.CommitNotFound, cancellationToken).ConfigureAwait(false);
        }

        if (info is null || !StoredObject.IsObject(info))
        {
            throw await NotFoundAsync(pach, address, commitMissing: false, cancellationToken).ConfigureAwait(false);
        }

        return await DescribeAsync(pach, address, info, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The object <paramref name="address"/> names and a stream of all its bytes, in one GetFile where the server describes
    /// the file it serves (<see cref="IPachClient.OpenFileAsync"/>: then no InspectFile); else, and whenever the first
    /// stored path holds no file, as <see cref="FindAsync"/> followed by a GetFile. The stream is null for an empty object.
    /// </summary>
    public static async Task<(StoredObject Found, Stream? Content)> OpenAsync(IPachClient pach, ObjectAddress address, CancellationToken cancellationToken)
    {
        if (address.VersionId is null && ObjectKey.IsStorable(address.Key))
        {
            FileDownload? download = null;
            try
            {
                download = await pach.OpenFileAsync(new FileRef(address.Commit, address.Path), cancellationToken).ConfigureAwait(false);
            }
            catch (PachException e) when (e.IsNotFound || e.Kind == PachErrorKind.NotAFile)
            {
                // Not a file there: the lookup below tells which S3 answer that is (or finds the key's literal alias).
            }

            if (download is not null)
            {
                try
                {
                    var found = await DescribeAsync(pach, address, download.Info, cancellationToken).ConfigureAwait(false);
                    if (found.Size > 0)
                    {
                        return (found, download.Content);
                    }

                    await download.Content.DisposeAsync().ConfigureAwait(false);
                    return (found, null);
                }
                catch
                {
                    await download.Content.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }
        }

        var looked = await FindAsync(pach, address, cancellationToken).ConfigureAwait(false);
        return (looked, looked.Size > 0 ? await pach.GetFileAsync(looked.File, 0, cancellationToken).ConfigureAwait(false) : null);
    }

    /// <summary>The object the file <paramref name="info"/> (read at the address's commit) is, with its record.</summary>
    private static async Task<StoredObject> DescribeAsync(IPachClient pach, ObjectAddress address, FileInfo info, CancellationToken cancellationToken)
    {
        var found = await WithRecordAsync(pach, address.Bucket, address.Key, StoredObject.From(info, address.Commit, info.File?.Path ?? address.Path), cancellationToken).ConfigureAwait(false);

        // The current object's version is the commit that wrote it (as recorded), not the branch head read through.
        return address.VersionId is null && address.Bucket.CommitId is null && found.Record?.VersionId is { } written
            ? found with { VersionId = written }
            : found;
    }

    /// <summary>
    /// A <c>versionId</c> must be a commit of the bucket's branch that was not removed for this key: else
    /// InvalidArgument (not a commit id) or NoSuchVersion.
    /// </summary>
    private static async Task RequireVersionAsync(IPachClient pach, ObjectAddress address, string versionId, CancellationToken cancellationToken)
    {
        VersionIds.Require(versionId);
        var removed = VersionHistory.IsRemovedAsync(pach, address.Bucket, address.Key, versionId, cancellationToken);
        var mark = await VersionHistory.FindBranchCommitAsync(pach, address.Bucket, address.BucketName, versionId, cancellationToken).ConfigureAwait(false);
        if (await removed.ConfigureAwait(false) || mark is null)
        {
            throw await NotFoundAsync(pach, address, commitMissing: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The object at <paramref name="key"/> in the bucket's read commit, or null when there is none; with its record
    /// when <paramref name="withRecord"/>.
    /// </summary>
    public static async Task<StoredObject?> FindCurrentAsync(IPachClient pach, BucketAddress bucket, string key, CancellationToken cancellationToken, bool withRecord = false)
    {
        if (!ObjectKey.IsStorable(key))
        {
            return null;
        }

        foreach (var path in ObjectKey.StoredPaths(key))
        {
            if (await InspectAsync(pach, new FileRef(bucket.ReadCommit, path), cancellationToken).ConfigureAwait(false) is { } info)
            {
                if (!StoredObject.IsObject(info))
                {
                    return null;
                }

                var found = StoredObject.From(info, bucket.ReadCommit, path);
                return withRecord ? await WithRecordAsync(pach, bucket, key, found, cancellationToken).ConfigureAwait(false) : found;
            }
        }

        return null;
    }

    private static async Task<StoredObject> WithRecordAsync(IPachClient pach, BucketAddress bucket, string key, StoredObject found, CancellationToken cancellationToken) =>
        found with { Record = await ObjectRecords.ReadAsync(pach, bucket, key, found, cancellationToken).ConfigureAwait(false) };

    /// <summary>InspectFile; null when there is no file or directory at the path (the commit exists).</summary>
    private static async Task<FileInfo?> InspectAsync(IPachClient pach, FileRef file, CancellationToken cancellationToken)
    {
        try
        {
            return await pach.InspectFileAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
        {
            return null;
        }
    }

    private static async Task<S3Exception> NotFoundAsync(IPachClient pach, ObjectAddress address, bool commitMissing, CancellationToken cancellationToken)
    {
        await BucketGuard.RequireAsync(pach, address.Bucket, address.BucketName, cancellationToken).ConfigureAwait(false);
        if (commitMissing && (address.VersionId ?? address.Bucket.CommitId) is { } version)
        {
            return new S3Exception(S3Errors.NoSuchVersion) { Key = address.Key }.WithDetail("VersionId", version);
        }

        if (address.VersionId is { } deleting && await DeletedAtAsync(pach, address, deleting, cancellationToken).ConfigureAwait(false) is { } when)
        {
            // S3 answers a read of a delete marker with 405 and the marker's headers.
            return new S3Exception(S3Errors.MethodNotAllowed) { Key = address.Key, Headers = DeleteMarkerHeaders(deleting, when) }
                .WithDetail("Method", "GET").WithDetail("ResourceType", "DeleteMarker");
        }

        if (address.VersionId is null && address.Bucket.CommitId is null && ObjectKey.IsStorable(address.Key)
            && await ObjectIndex.DeletedInAsync(pach, address.Bucket, address.Key, cancellationToken).ConfigureAwait(false) is { } deletedIn)
        {
            return new S3Exception(S3Errors.NoSuchKey) { Key = address.Key, Headers = DeleteMarkerHeaders(deletedIn, null) };
        }

        return new S3Exception(S3Errors.NoSuchKey) { Key = address.Key };
    }

    /// <summary>When <paramref name="versionId"/> deleted the key (it was there in the commit's parent), else null.</summary>
    private static async Task<DateTimeOffset?> DeletedAtAsync(IPachClient pach, ObjectAddress address, string versionId, CancellationToken cancellationToken)
    {
        if (!ObjectKey.IsStorable(address.Key))
        {
            return null;
        }

        var commit = await pach.InspectCommitAsync(CommitRef.ById(address.Bucket.RepoRef, versionId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (commit.ParentCommit?.Id is not { Length: > 0 } parent)
        {
            return null;
        }

        foreach (var path in ObjectKey.StoredPaths(address.Key))
        {
            if (await InspectAsync(pach, new FileRef(CommitRef.ById(address.Bucket.RepoRef, parent), path), cancellationToken).ConfigureAwait(false) is { } info && StoredObject.IsObject(info))
            {
                return commit.Finished?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch;
            }
        }

        return null;
    }

    private static Dictionary<string, string> DeleteMarkerHeaders(string versionId, DateTimeOffset? lastModified)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["x-amz-delete-marker"] = "true",
            ["x-amz-version-id"] = versionId,
        };
        if (lastModified is { } when)
        {
            headers["Last-Modified"] = Microsoft.Net.Http.Headers.HeaderUtilities.FormatDate(when);
        }

        return headers;
    }
}
