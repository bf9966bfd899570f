using Gateway.Core.Objects;
using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Uploads;

/// <summary>
/// UploadPart: streams the verified body into the part's file (<see cref="PartStore"/>: one ModifyFile that replaces
/// the part). A body that fails verification cancels the stream: nothing is stored.
/// </summary>
internal sealed class UploadPartOperation : IGatewayOperation
{
    private readonly long _maxObjectSize;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public UploadPartOperation(long maxObjectSize, TimeProvider time, ILogger logger)
    {
        _maxObjectSize = maxObjectSize;
        _time = time;
        _logger = logger;
    }

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var partNumber = S3ListParameters.ParsePartNumber(call.Target.Query.Get("partNumber"));
        var upload = await UploadStore.RequireAsync(call).ConfigureAwait(false);
        ObjectUpload.RequireDeclaredSizeWithin(call, _maxObjectSize);
        var stored = await PartStore.WriteAsync(call.Pach, upload, partNumber, _time.GetUtcNow(), async (w, path) =>
        {
            await w.AddFileAsync(path, call.Body, call.Aborted).ConfigureAwait(false);

            // The body is verified by now; remember its checksum in the same commit (a name, no data).
            if (call.VerifiedChecksums is [var checksum, ..])
            {
                await w.AddFileAsync(UploadLayout.ChecksumPath(upload.Directory, partNumber, checksum), ReadOnlyMemory<byte>.Empty, call.Aborted).ConfigureAwait(false);
            }
        }, _logger, call.Aborted).ConfigureAwait(false);

        var response = S3Response.Status(StatusCodes.Status200OK);
        response.Headers.ETag = ETag.FromHash(stored.Info.Hash);
        return ObjectUpload.EchoChecksums(call, response);
    }
}
