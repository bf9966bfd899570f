using Gateway.Core.Buckets;
using Gateway.Core.Errors;
using Gateway.Core.History;
using Gateway.Core.Metadata;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3.Http;
using Gateway.S3.Xml.Documents;
using Gateway.S3.Xml.Requests;

namespace Gateway.Core.Objects;

/// <summary>
/// DeleteObjects: every key of one request is deleted in ONE ModifyFile stream, so the whole batch is one
/// commit (upstream made one commit per key), reported as a delete marker with that commit as its version. Entries
/// with a version id are removed together by <see cref="VersionRemoval"/> (at most one more commit). Keys PFS cannot hold and directory keys are reported deleted
/// without touching anything (nothing can be there, and a trailing '/' would delete a whole directory).
/// The body may promise Content-MD5 or an x-amz-checksum-* (current SDKs send the latter); the verifying
/// body stream checks whichever came.
/// </summary>
internal sealed class DeleteObjectsOperation : IGatewayOperation
{
    private readonly int _maxXmlBytes;

    public DeleteObjectsOperation(int maxXmlBytes) => _maxXmlBytes = maxXmlBytes;

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var bucket = call.RequiredBucket;
        var branch = await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        var request = await S3XmlRequestReader.ReadDeleteObjectsAsync(call.Body, _maxXmlBytes, call.Aborted).ConfigureAwait(false);

        var deleted = new List<S3Deleted>(request.Objects.Count);
        var errors = new List<S3DeleteError>();
        var paths = new List<string>(request.Objects.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var versions = new List<(string Key, string VersionId)>();
        var nothing = new List<S3Deleted>();
        foreach (var (key, versionId) in request.Objects)
        {
            if (!string.IsNullOrEmpty(versionId))
            {
                if (VersionIds.Normalize(versionId) is null)
                {
                    // The "null" version: there is none to remove.
                    nothing.Add(new S3Deleted(key, versionId));
                }
                else if (!BucketName.IsCommitId(versionId))
                {
                    errors.Add(new S3DeleteError(key, "InvalidArgument", "Invalid version id specified", versionId));
                }
                else
                {
                    versions.Add((key, versionId));
                }

                continue;
            }

            if (ObjectKey.IsStorable(key))
            {
                paths.AddRange(ObjectKey.StoredPaths(key).Where(seen.Add));
            }

            deleted.Add(new S3Deleted(key));
        }

        if (paths.Count > 0)
        {
            try
            {
                var created = await call.Pach.ModifyFileAsync(bucket.WriteCommit, async w =>
                {
                    foreach (var path in paths)
                    {
                        await w.DeleteFileAsync(path, call.Aborted).ConfigureAwait(false);
                    }
                }, call.Aborted).ConfigureAwait(false);
                var deletedIn = created ?? await DeletionCommitAsync(call, branch.Head?.Id, paths).ConfigureAwait(false);
                var keys = deleted.Select(d => d.Key).Where(ObjectKey.IsStorable).ToHashSet(StringComparer.Ordinal);
                await ObjectRecords.ForgetAsync(call.Pach, bucket, keys, deletedIn, call.Aborted).ConfigureAwait(false);
                for (var i = 0; i < deleted.Count; i++)
                {
                    if (ObjectKey.IsStorable(deleted[i].Key))
                    {
                        deleted[i] = deleted[i] with { DeleteMarker = true, DeleteMarkerVersionId = deletedIn };
                    }
                }
            }
            catch (PachException e) when (e.Kind is not (PachErrorKind.RepoNotFound or PachErrorKind.BranchNotFound or PachErrorKind.ProjectNotFound))
            {
                // The batch is one commit and failed as a whole: S3 reports that per key, inside a 200.
                var error = PachErrorMapper.Map(e, new PachErrorContext(call.BucketName, null, null));
                errors.AddRange(deleted.Select(d => new S3DeleteError(d.Key, error.Error.Code, error.Message)));
                deleted.Clear();
            }
        }

        deleted.AddRange(nothing);
        if (versions.Count > 0)
        {
            try
            {
                deleted.AddRange(await VersionRemoval.RemoveAsync(call.Pach, bucket, branch, versions, call.Aborted).ConfigureAwait(false));
            }
            catch (PachException e) when (e.Kind is not (PachErrorKind.RepoNotFound or PachErrorKind.BranchNotFound or PachErrorKind.ProjectNotFound))
            {
                var error = PachErrorMapper.Map(e, new PachErrorContext(call.BucketName, null, null));
                errors.AddRange(versions.Select(v => new S3DeleteError(v.Key, error.Error.Code, error.Message, v.VersionId)));
            }
        }

        return S3Response.Xml(new DeleteResult { Deleted = deleted, Errors = errors, Quiet = request.Quiet });
    }

    /// <summary>The batch's own commit: the one that deleted the first of its paths that existed (<see cref="OwnWrite"/>).</summary>
    private static async Task<string?> DeletionCommitAsync(S3Call call, string? before, List<string> paths)
    {
        foreach (var path in paths.Take(8))
        {
            if (await OwnWrite.FindAsync(call.Pach, call.RequiredBucket, before, path, f => f is null, call.Aborted).ConfigureAwait(false) is { } own)
            {
                return own.CommitId;
            }
        }

        return null;
    }
}
