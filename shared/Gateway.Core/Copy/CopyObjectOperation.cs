using Gateway.Core.Buckets;
using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Xml.Documents;

namespace Gateway.Core.Copy;

/// <summary>
/// CopyObject inside pachd: one ModifyFile on the destination (delete the key, CopyFile from the source version),
/// so one commit and no data through the gateway. The answer carries the destination's ETag, Last-Modified and
/// commit, and the source commit as <c>x-amz-copy-source-version-id</c>.
/// </summary>
internal sealed class CopyObjectOperation : IGatewayOperation
{
    private const string _directiveHeader = "x-amz-metadata-directive";

    private readonly TimeProvider _time;

    public CopyObjectOperation(TimeProvider time) => _time = time;

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var key = call.Key;
        ObjectKey.RequireWritable(key);

        var directive = call.Request.Headers[_directiveHeader].ToString();
        var replace = directive.Equals("REPLACE", StringComparison.OrdinalIgnoreCase);
        if (directive.Length > 0 && !replace && !directive.Equals("COPY", StringComparison.OrdinalIgnoreCase))
        {
            throw S3Exception.InvalidArgument("Unknown metadata directive.", _directiveHeader, directive);
        }

        var destination = call.RequiredBucket;
        var source = await CopySourceResolver.ResolveAsync(call).ConfigureAwait(false);
        var path = ObjectKey.ToPath(key);
        if (!replace && !source.Versioned && SameBranch(source.Address.Bucket, destination) && source.Address.Key == key)
        {
            // S3 refuses a copy that would change nothing (metadata is not stored here, so only REPLACE "changes" it).
            throw new S3Exception(S3Errors.InvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }

        await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        try
        {
            await call.Pach.ModifyFileAsync(destination.WriteCommit, async w =>
            {
                await ObjectUpload.ReplaceAsync(w, key, call.Aborted).ConfigureAwait(false);
                await w.CopyFileAsync(path, source.Object.File, append: false, call.Aborted).ConfigureAwait(false);
            }, call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound)
        {
            // The source vanished between inspection and copy (its commit is pinned, so only a squashed commit).
            throw new S3Exception(S3Errors.NoSuchKey) { Key = source.Address.Key };
        }

        var info = await call.Pach.InspectFileAsync(new FileRef(destination.ReadCommit, path), call.Aborted).ConfigureAwait(false);
        return S3Response.Xml(new CopyObjectResult
        {
            ETag = ETag.FromHash(info.Hash),
            LastModified = info.Committed?.ToDateTimeOffset() ?? _time.GetUtcNow(),
        })
            .WithHeader("x-amz-version-id", info.File?.Commit?.Id)
            .WithHeader("x-amz-copy-source-version-id", source.Object.VersionId);
    }

    private static bool SameBranch(BucketAddress a, BucketAddress b) =>
        a.Project == b.Project && a.Repo == b.Repo && a.Branch == b.Branch && a.CommitId == b.CommitId;
}
