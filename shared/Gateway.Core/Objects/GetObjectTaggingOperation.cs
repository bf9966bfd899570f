using System.Xml;
using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Gateway.S3.Xml;

namespace Gateway.Core.Objects;

/// <summary>
/// GetObjectTagging answering the empty tag set PFS files have. Copies need it: the AWS CLI v2 reads the source
/// object's tags before every multipart copy (<c>aws s3 cp s3://a/x s3://b/y</c>) and gives up on an error.
/// Tag writes stay NotImplemented (PFS has nowhere to keep them).
/// </summary>
internal sealed class GetObjectTaggingOperation : IGatewayOperation
{
    /// <summary>NoSuchKey / NoSuchBucket / NoSuchVersion like a HEAD, else an empty <c>Tagging</c> document.</summary>
    public async Task<S3Response> RunAsync(S3Call call)
    {
        var found = await ObjectLookup.FindAsync(call.Pach, ObjectAddress.Of(call), call.Aborted).ConfigureAwait(false);
        return S3Response.Xml(new EmptyTagging()).WithHeader("x-amz-version-id", found.VersionId);
    }

    /// <summary><c>&lt;Tagging&gt;&lt;TagSet/&gt;&lt;/Tagging&gt;</c>.</summary>
    private sealed class EmptyTagging : IS3XmlDocument
    {
        public async Task WriteToAsync(XmlWriter writer)
        {
            await writer.WriteStartElementAsync(null, "Tagging", S3Xml.Namespace).ConfigureAwait(false);
            await writer.WriteStartElementAsync(null, "TagSet", null).ConfigureAwait(false);
            await writer.WriteEndElementAsync().ConfigureAwait(false);
            await writer.WriteEndElementAsync().ConfigureAwait(false);
        }
    }
}
