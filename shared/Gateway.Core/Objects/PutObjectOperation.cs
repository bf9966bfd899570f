using Gateway.Core.Buckets;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Objects;

/// <summary>
/// PutObject: the verified body streams into one ModifyFile on the branch head (one commit). Branches are never
/// created implicitly. A key ending in '/' (a "folder marker") with an empty body creates nothing: PFS directories
/// exist only through their files; the answer is 200 with the empty object's ETag so that tools that make folders
/// carry on. Such a key with data is InvalidArgument.
/// </summary>
internal sealed class PutObjectOperation : IGatewayOperation
{
    private readonly long _maxObjectSize;

    public PutObjectOperation(long maxObjectSize) => _maxObjectSize = maxObjectSize;

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var key = call.Key;
        if (ObjectKey.Check(key) is { } refused)
        {
            throw refused;
        }

        ObjectUpload.RequireDeclaredSizeWithin(call, _maxObjectSize);
        var bucket = call.RequiredBucket;
        var branch = await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        if (ObjectKey.IsDirectoryKey(key))
        {
            return await PutFolderMarkerAsync(call, branch).ConfigureAwait(false);
        }

        var path = ObjectKey.ToPath(key);
        await WriteConditions.CheckAsync(call, key, call.Aborted).ConfigureAwait(false);
        await call.Pach.ModifyFileAsync(bucket.WriteCommit, async w =>
        {
            await ObjectUpload.ReplaceAsync(w, key, call.Aborted).ConfigureAwait(false);
            await w.AddFileAsync(path, call.Body, call.Aborted).ConfigureAwait(false);
        }, call.Aborted).ConfigureAwait(false);
        var info = await call.Pach.InspectFileAsync(new FileRef(bucket.ReadCommit, path), call.Aborted).ConfigureAwait(false);

        var response = S3Response.Status(StatusCodes.Status200OK);
        response.Headers.ETag = ETag.FromHash(info.Hash);
        response.WithHeader("x-amz-version-id", info.File?.Commit?.Id);
        return ObjectUpload.EchoChecksums(call, response);
    }

    private static async Task<S3Response> PutFolderMarkerAsync(S3Call call, BranchInfo branch)
    {
        var probe = new byte[1];
        if (await call.Body.ReadAsync(probe, call.Aborted).ConfigureAwait(false) > 0)
        {
            throw S3Exception.InvalidArgument("A key ending in '/' is a directory in Pachyderm and cannot hold data.", "key", call.Key);
        }

        var response = S3Response.Status(StatusCodes.Status200OK);
        response.Headers.ETag = ETag.FromHash(ReadOnlySpan<byte>.Empty);
        if (call.RequiredBucket.CommitId is null)
        {
            response.WithHeader("x-amz-version-id", branch.Head?.Id);
        }

        return ObjectUpload.EchoChecksums(call, response);
    }
}
