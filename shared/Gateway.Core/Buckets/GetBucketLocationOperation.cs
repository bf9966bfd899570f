using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Gateway.S3.Xml.Documents;

namespace Gateway.Core.Buckets;

/// <summary>GetBucketLocation: a constant location (<see cref="GatewayOptions.Location"/>; empty means us-east-1).</summary>
internal sealed class GetBucketLocationOperation : IGatewayOperation
{
    private readonly string _location;

    public GetBucketLocationOperation(string location) => _location = location;

    public async Task<S3Response> RunAsync(S3Call call)
    {
        await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        return S3Response.Xml(new LocationConstraintResult(_location));
    }
}
