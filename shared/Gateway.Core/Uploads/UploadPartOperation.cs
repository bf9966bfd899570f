using Gateway.Core.Objects;
using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Uploads;

/// <summary>
/// UploadPart: streams the verified body into the part's file (one ModifyFile that replaces the part). A body that
/// fails verification cancels the stream: nothing is stored.
/// </summary>
internal sealed class UploadPartOperation(long maxObjectSize, TimeProvider time, UploadExpiry expiry, ILogger logger) : PartOperation(maxObjectSize, time, expiry, logger)
{
    protected override async Task<S3Response> StoreAsync(S3Call call, UploadInfo upload, int partNumber)
    {
        ObjectUpload.RequireDeclaredSizeWithin(call, MaxObjectSize);
        var stored = await WriteAsync(call, upload, partNumber, Time.GetUtcNow(), async (w, path) =>
        {
            await w.AddFileAsync(path, call.Body, call.Aborted).ConfigureAwait(false);

            // The body is verified by now; remember its MD5 and checksum in the same commit (names, no data).
            if (call.Body.Md5 is { } md5)
            {
                await w.AddFileAsync(UploadLayout.Md5Path(upload.Directory, partNumber, md5.Span), ReadOnlyMemory<byte>.Empty, call.Aborted).ConfigureAwait(false);
            }

            if (call.VerifiedChecksums is [var checksum, ..])
            {
                await w.AddFileAsync(UploadLayout.ChecksumPath(upload.Directory, partNumber, checksum), ReadOnlyMemory<byte>.Empty, call.Aborted).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        var response = S3Response.Status(StatusCodes.Status200OK);
        response.Headers.ETag = call.Body.Md5 is { } digest ? ETags.FromMd5(digest.Span) : ETag.FromHash(stored.Info.Hash);
        return ObjectUpload.EchoChecksums(call, response);
    }
}
