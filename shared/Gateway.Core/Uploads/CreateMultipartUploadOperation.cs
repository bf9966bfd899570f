using Gateway.Core.Buckets;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.S3.Checksums;
using Gateway.S3.Http;
using Gateway.S3.Tags;
using Gateway.S3.Xml.Documents;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Uploads;

/// <summary>
/// CreateMultipartUpload: checks the bucket and the key, writes the upload's manifest (one commit, which also removes
/// expired uploads when it is this instance's turn to sweep the bucket) and answers the new id.
/// </summary>
internal sealed class CreateMultipartUploadOperation : IGatewayOperation
{
    private readonly TimeProvider _time;
    private readonly UploadExpiry _expiry;
    private readonly ILogger _logger;

    public CreateMultipartUploadOperation(TimeProvider time, UploadExpiry expiry, ILogger logger)
    {
        _time = time;
        _expiry = expiry;
        _logger = logger;
    }

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var key = call.Key;
        ObjectKey.RequireWritable(key);
        var metadata = S3ObjectMetadata.FromRequest(call.Request);
        var tags = S3TagSet.FromHeader(call.Request.Headers[S3TagSet.HeaderName].ToString());
        var bucket = call.RequiredBucket;
        await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        var uploadId = UploadIds.New();
        var initiated = _time.GetUtcNow();
        var manifest = UploadManifest.For(call.BucketName, key, uploadId, initiated, metadata, tags).Serialize();
        var expired = await UploadSweep.DueAsync(call.Pach, bucket, _expiry, keep: null, call.Aborted).ConfigureAwait(false);
        await UploadStore.CreateAsync(call.Pach, bucket, key, uploadId, initiated, manifest, expired, call.Aborted).ConfigureAwait(false);
        UploadsLog.Swept(_logger, expired.Count, call.BucketName);
        UploadsLog.Created(_logger, uploadId, call.BucketName);

        var response = S3Response.Xml(new InitiateMultipartUploadResult(call.BucketName, key, uploadId));
        if (S3ChecksumAlgorithms.TryParse(call.Request.Headers["x-amz-checksum-algorithm"].ToString(), out var algorithm))
        {
            response.Headers["x-amz-checksum-algorithm"] = S3ChecksumAlgorithms.WireName(algorithm);
        }

        return response;
    }
}
