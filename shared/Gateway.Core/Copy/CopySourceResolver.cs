using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Core.Pipeline;
using Gateway.S3.Errors;
using Gateway.S3.Http;

namespace Gateway.Core.Copy;

/// <summary>
/// Resolves <c>x-amz-copy-source</c> (decoded fully before bucket and key are split; <c>?versionId=</c> = a commit)
/// to the exact object version to copy, and evaluates the <c>x-amz-copy-source-if-*</c> conditions against it.
/// </summary>
internal static class CopySourceResolver
{
    /// <summary>The source version; NoSuchBucket / NoSuchKey / NoSuchVersion / PreconditionFailed as S3 answers.</summary>
    public static async Task<ResolvedCopySource> ResolveAsync(S3Call call)
    {
        var source = S3CopySource.Parse(call.Request.Headers[S3CopySource.HeaderName].ToString());
        if (!BucketName.TryParse(source.Bucket, out var bucket, out var reason))
        {
            throw new S3Exception(S3Errors.InvalidBucketName, reason) { BucketName = source.Bucket };
        }

        if (bucket.IsInternal)
        {
            throw new S3Exception(S3Errors.NoSuchBucket) { BucketName = source.Bucket };
        }

        var address = new ObjectAddress(source.Bucket, bucket, source.Key, VersionIds.Normalize(source.VersionId));
        StoredObject found;
        try
        {
            found = await ObjectLookup.FindAsync(call.Pach, address, call.Aborted).ConfigureAwait(false);
        }
        catch (S3Exception e) when (e.Error == S3Errors.MethodNotAllowed)
        {
            // The version named is a delete marker: S3 refuses it as a copy source with 400.
            throw new S3Exception(S3Errors.InvalidRequest, "The source of a copy request may not specifically refer to a delete marker by version id.") { Key = source.Key };
        }

        S3Conditions.EvaluateCopySource(call.Request.Headers, found.ETag, found.LastModified ?? DateTimeOffset.UnixEpoch);
        return new ResolvedCopySource(address, found);
    }
}
