using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Buckets;

/// <summary>HeadBucket: InspectBranch only; 200, or the error (HEAD responses carry no body).</summary>
internal sealed class HeadBucketOperation : IGatewayOperation
{
    public async Task<S3Response> RunAsync(S3Call call)
    {
        await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        return S3Response.Status(StatusCodes.Status200OK);
    }
}
