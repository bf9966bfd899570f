using Gateway.Core.Pipeline;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Xml.Requests;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Buckets;

/// <summary>
/// PutBucketVersioning: accepts the state the bucket is always in (Enabled). Suspended is refused with 409
/// InvalidBucketState, as S3 refuses it for buckets whose versioning cannot be turned off, naming why.
/// </summary>
internal sealed class PutBucketVersioningOperation : IGatewayOperation
{
    private readonly int _maxXmlBytes;

    public PutBucketVersioningOperation(int maxXmlBytes) => _maxXmlBytes = maxXmlBytes;

    public async Task<S3Response> RunAsync(S3Call call)
    {
        await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        var configuration = await S3XmlRequestReader.ReadVersioningConfigurationAsync(call.Body, _maxXmlBytes, call.Aborted).ConfigureAwait(false);
        return configuration.Status switch
        {
            "Enabled" => S3Response.Status(StatusCodes.Status200OK),
            "Suspended" => throw new S3Exception(S3Errors.InvalidBucketState,
                "Versioning cannot be suspended: every write to a Pachyderm branch is a commit, and its history keeps every version."),
            _ => throw new S3Exception(S3Errors.IllegalVersioningConfigurationException),
        };
    }
}
