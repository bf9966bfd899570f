using Gateway.Core.Dispatch;
using Gateway.Core.Errors;
using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Errors;
using Gateway.S3.Http;

namespace Gateway.Core.Copy;

/// <summary>
/// Resolves <c>x-amz-copy-source</c> (decoded fully before bucket and key are split; <c>?versionId=</c> = a commit)
/// to the exact file version to copy, and evaluates the <c>x-amz-copy-source-if-*</c> conditions against it.
/// </summary>
internal static class CopySourceResolver
{
    /// <summary>The source file; NoSuchBucket / NoSuchKey / NoSuchVersion / PreconditionFailed as S3 answers.</summary>
    public static async Task<ResolvedCopySource> ResolveAsync(S3Call call)
    {
        var header = call.Request.Headers[S3CopySource.HeaderName].ToString();
        var source = S3CopySource.Parse(header);
        if (!BucketName.TryParse(source.Bucket, out var bucket, out var reason))
        {
            throw new S3Exception(S3Errors.InvalidBucketName, reason) { BucketName = source.Bucket };
        }

        if (bucket.IsInternal)
        {
            throw new S3Exception(S3Errors.NoSuchBucket) { BucketName = source.Bucket };
        }

        if (ObjectKey.IsDirectoryKey(source.Key) || ObjectKey.Validate(source.Key) is not null)
        {
            await RequireBucketAsync(call, bucket, source.Bucket).ConfigureAwait(false);
            throw new S3Exception(S3Errors.NoSuchKey) { Key = source.Key };
        }

        var versioned = source.VersionId is not null && source.VersionId != "null";
        var commit = versioned ? CommitRef.ById(bucket.RepoRef, source.VersionId!) : bucket.ReadCommit;
        var path = ObjectKey.ToPath(source.Key);
        Gateway.Pachyderm.Protos.Pfs.FileInfo info;
        try
        {
            info = await call.Pach.InspectFileAsync(new FileRef(commit, path), call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
        {
            await RequireBucketAsync(call, bucket, source.Bucket).ConfigureAwait(false);
            throw new S3Exception(S3Errors.NoSuchKey) { Key = source.Key };
        }
        catch (PachException e) when (e.Kind == PachErrorKind.CommitNotFound && versioned)
        {
            await RequireBucketAsync(call, bucket, source.Bucket).ConfigureAwait(false);
            throw new S3Exception(S3Errors.NoSuchVersion) { Key = source.Key }.WithDetail("VersionId", source.VersionId!);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, versioned ? PachErrorMapper.Target.Version : PachErrorMapper.Target.Object, source.Bucket, source.Key);
        }

        if (info.FileType != FileType.File)
        {
            throw new S3Exception(S3Errors.NoSuchKey) { Key = source.Key };
        }

        var etag = ETag.FromHash(info.Hash);
        var lastModified = info.Committed?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch;
        S3Conditions.EvaluateCopySource(call.Request.Headers, etag, lastModified);

        // Copy exactly the version that was inspected and whose conditions passed.
        var commitId = info.File?.Commit?.Id is { Length: > 0 } id ? id : commit.Id;
        var pinned = commitId is null ? commit : new CommitRef(bucket.RepoRef, null, commitId);
        return new ResolvedCopySource(source.Bucket, bucket, source.Key, new FileRef(pinned, path), info.SizeBytes, etag, lastModified, commitId, versioned);
    }

    private static async Task RequireBucketAsync(S3Call call, BucketAddress bucket, string name)
    {
        try
        {
            await call.Pach.InspectBranchAsync(bucket.BranchRef, call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Bucket, name);
        }
    }
}
