using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Uploads;

/// <summary>
/// AbortMultipartUpload: removes the upload's directory (parts and manifest), and expired uploads when it is this
/// instance's turn to sweep the bucket, in one commit; NoSuchUpload when unknown.
/// </summary>
internal sealed class AbortMultipartUploadOperation : IGatewayOperation
{
    private readonly UploadExpiry _expiry;
    private readonly ILogger _logger;

    public AbortMultipartUploadOperation(UploadExpiry expiry, ILogger logger)
    {
        _expiry = expiry;
        _logger = logger;
    }

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var upload = await UploadStore.RequireAsync(call, _expiry).ConfigureAwait(false);
        var expired = await UploadSweep.DueAsync(call.Pach, upload.Bucket, _expiry, upload.Directory, call.Aborted).ConfigureAwait(false);
        await UploadStore.DeleteAsync(call.Pach, upload, expired, call.Aborted).ConfigureAwait(false);
        UploadsLog.Swept(_logger, expired.Count, call.BucketName);
        UploadsLog.Aborted(_logger, upload.UploadId);
        return S3Response.Status(StatusCodes.Status204NoContent);
    }
}
