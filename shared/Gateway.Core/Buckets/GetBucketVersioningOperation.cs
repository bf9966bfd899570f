using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Gateway.S3.Xml.Documents;

namespace Gateway.Core.Buckets;

/// <summary>GetBucketVersioning: every PFS branch keeps its history, so versioning is always Enabled.</summary>
internal sealed class GetBucketVersioningOperation : IGatewayOperation
{
    public async Task<S3Response> RunAsync(S3Call call)
    {
        await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        return S3Response.Xml(new VersioningConfiguration("Enabled"));
    }
}
