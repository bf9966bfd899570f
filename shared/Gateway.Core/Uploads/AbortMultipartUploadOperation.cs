using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Uploads;

/// <summary>AbortMultipartUpload: removes the upload's directory (parts and manifest) in one commit; NoSuchUpload when unknown.</summary>
internal sealed class AbortMultipartUploadOperation : IGatewayOperation
{
    private readonly ILogger _logger;

    public AbortMultipartUploadOperation(ILogger logger) => _logger = logger;

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var upload = await UploadStore.RequireAsync(call).ConfigureAwait(false);
        await UploadStore.DeleteAsync(call.Pach, upload, call.Aborted).ConfigureAwait(false);
        UploadsLog.Aborted(_logger, upload.UploadId);
        return S3Response.Status(StatusCodes.Status204NoContent);
    }
}
