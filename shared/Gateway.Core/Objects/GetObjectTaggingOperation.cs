using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Gateway.S3.Tags;
using Gateway.S3.Xml.Documents;

namespace Gateway.Core.Objects;

/// <summary>
/// GetObjectTagging: the tags of the object version (the AWS CLI v2 also reads them before every multipart copy).
/// NoSuchKey / NoSuchBucket / NoSuchVersion like a HEAD.
/// </summary>
internal sealed class GetObjectTaggingOperation : IGatewayOperation
{
    public async Task<S3Response> RunAsync(S3Call call)
    {
        var address = ObjectAddress.Of(call);
        var found = await ObjectLookup.FindAsync(call.Pach, address, call.Aborted).ConfigureAwait(false);
        return S3Response.Xml(new Tagging { TagSet = found.Record?.Tags ?? S3TagSet.Empty }).WithHeader("x-amz-version-id", found.VersionId);
    }
}
