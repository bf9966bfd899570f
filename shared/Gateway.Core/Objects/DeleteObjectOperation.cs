using Gateway.Core.Buckets;
using Gateway.Core.History;
using Gateway.Core.Metadata;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Objects;

/// <summary>
/// DeleteObject. Without a version: idempotent, 204 whether or not the key existed; a missing key makes no commit
/// (looked up first), and a directory key never deletes the directory's files. A delete that removed something
/// answers <c>x-amz-delete-marker: true</c> with the deleting commit as its version, and leaves that mark in the key's
/// listing entry so later reads of the key answer the same. With a <c>versionId</c>: <see cref="VersionRemoval"/>.
/// </summary>
internal sealed class DeleteObjectOperation : IGatewayOperation
{
    public async Task<S3Response> RunAsync(S3Call call)
    {
        var bucket = call.RequiredBucket;
        if (call.Target.Query.Get("versionId") is { Length: > 0 } versionId)
        {
            return await RemoveVersionAsync(call, versionId).ConfigureAwait(false);
        }

        var before = (await BucketGuard.RequireAsync(call).ConfigureAwait(false)).Head?.Id;
        if (await ObjectLookup.FindCurrentAsync(call.Pach, bucket, call.Key, call.Aborted).ConfigureAwait(false) is not { } found)
        {
            return S3Response.Status(StatusCodes.Status204NoContent);
        }

        var created = await call.Pach.ModifyFileAsync(bucket.WriteCommit, w => w.DeleteFileAsync(found.File.Path, call.Aborted), call.Aborted).ConfigureAwait(false);
        var deletedIn = created ?? (await OwnWrite.FindAsync(call.Pach, bucket, before, found.File.Path, f => f is null, call.Aborted).ConfigureAwait(false))?.CommitId;
        await ObjectRecords.ForgetAsync(call.Pach, bucket, [call.Key], deletedIn, call.Aborted).ConfigureAwait(false);
        return S3Response.Status(StatusCodes.Status204NoContent)
            .WithHeader("x-amz-delete-marker", "true")
            .WithHeader("x-amz-version-id", deletedIn);
    }

    private static async Task<S3Response> RemoveVersionAsync(S3Call call, string versionId)
    {
        var branch = await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        var response = S3Response.Status(StatusCodes.Status204NoContent).WithHeader("x-amz-version-id", versionId);
        if (VersionIds.Normalize(versionId) is null)
        {
            // The "null" version: objects here always have commit versions, so there is none to remove.
            return response;
        }

        VersionIds.Require(versionId);
        var removed = await VersionRemoval.RemoveAsync(call.Pach, call.RequiredBucket, branch, [(call.Key, versionId)], call.Aborted).ConfigureAwait(false);
        return removed[0].DeleteMarker == true ? response.WithHeader("x-amz-delete-marker", "true") : response;
    }
}
