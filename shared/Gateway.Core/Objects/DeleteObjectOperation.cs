using Gateway.Core.Buckets;
using Gateway.Core.Metadata;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Objects;

/// <summary>
/// DeleteObject. Idempotent: 204 whether or not the key existed. A missing key makes no commit (looked up first),
/// and a directory key never deletes the directory's files. The key's listing entry on the gateway branch goes too;
/// the records of its versions stay.
/// </summary>
internal sealed class DeleteObjectOperation : IGatewayOperation
{
    public async Task<S3Response> RunAsync(S3Call call)
    {
        if (call.VersionId is not null)
        {
            throw S3Exception.NotImplemented("Deleting a specific version (PFS history is immutable)");
        }

        var bucket = call.RequiredBucket;
        if (await ObjectLookup.FindCurrentAsync(call.Pach, bucket, call.Key, call.Aborted).ConfigureAwait(false) is { } found)
        {
            await call.Pach.ModifyFileAsync(bucket.WriteCommit, w => w.DeleteFileAsync(found.File.Path, call.Aborted), call.Aborted).ConfigureAwait(false);
            await ObjectRecords.ForgetAsync(call.Pach, bucket, [call.Key], call.Aborted).ConfigureAwait(false);
        }
        else
        {
            await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        }

        return S3Response.Status(StatusCodes.Status204NoContent);
    }
}
