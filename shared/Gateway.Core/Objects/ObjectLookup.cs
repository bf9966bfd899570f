using Gateway.Core.Buckets;
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

        return await WithRecordAsync(pach, address.Bucket, address.Key, StoredObject.From(info, commit, info.File?.Path ?? address.Path), cancellationToken).ConfigureAwait(false);
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
        return commitMissing && address.Commit.Id is { } version
            ? new S3Exception(S3Errors.NoSuchVersion) { Key = address.Key }.WithDetail("VersionId", version)
            : new S3Exception(S3Errors.NoSuchKey) { Key = address.Key };
    }
}
