using Gateway.Core.Buckets;
using Gateway.Core.Naming;
using Gateway.Pachyderm;
using Gateway.S3.Errors;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Objects;

/// <summary>
/// The one way an object is looked up (GET/HEAD, copy sources, tagging, conditional writes): the key rules, the
/// version, one InspectFile, and S3's not-found answers — NoSuchBucket when the bucket is missing (checked only
/// after a miss, to save a round trip on the common path), NoSuchVersion for an unknown commit, else NoSuchKey.
/// </summary>
internal static class ObjectLookup
{
    /// <summary>The object version <paramref name="address"/> names; NoSuchBucket / NoSuchVersion / NoSuchKey when absent.</summary>
    public static async Task<StoredObject> FindAsync(IPachClient pach, ObjectAddress address, CancellationToken cancellationToken)
    {
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

        return info is not null && StoredObject.IsObject(info)
            ? StoredObject.From(info, commit, info.File?.Path ?? address.Path)
            : throw await NotFoundAsync(pach, address, commitMissing: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The object at <paramref name="key"/> in the bucket's read commit, or null when there is none.</summary>
    public static async Task<StoredObject?> FindCurrentAsync(IPachClient pach, BucketAddress bucket, string key, CancellationToken cancellationToken)
    {
        if (!ObjectKey.IsStorable(key))
        {
            return null;
        }

        foreach (var path in ObjectKey.StoredPaths(key))
        {
            if (await InspectAsync(pach, new FileRef(bucket.ReadCommit, path), cancellationToken).ConfigureAwait(false) is { } info)
            {
                return StoredObject.IsObject(info) ? StoredObject.From(info, bucket.ReadCommit, path) : null;
            }
        }

        return null;
    }

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
        return commitMissing && address.Commit.Id is { } version
            ? new S3Exception(S3Errors.NoSuchVersion) { Key = address.Key }.WithDetail("VersionId", version)
            : new S3Exception(S3Errors.NoSuchKey) { Key = address.Key };
    }
}
