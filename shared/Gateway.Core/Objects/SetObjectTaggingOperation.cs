using Gateway.Core.Metadata;
using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Gateway.S3.Tags;
using Gateway.S3.Xml.Requests;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Objects;

/// <summary>
/// PutObjectTagging and DeleteObjectTagging: replace the tags of an object version in its record on the gateway
/// branch (one commit there; the object's content and its commit are untouched).
/// </summary>
internal sealed class SetObjectTaggingOperation : IGatewayOperation
{
    private readonly int _maxXmlBytes;
    private readonly bool _delete;

    /// <param name="maxXmlBytes">Largest Tagging document.</param>
    /// <param name="delete">True for DeleteObjectTagging (no body; the tags become none).</param>
    public SetObjectTaggingOperation(int maxXmlBytes, bool delete)
    {
        _maxXmlBytes = maxXmlBytes;
        _delete = delete;
    }

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var tags = _delete ? S3TagSet.Empty : await S3XmlRequestReader.ReadTaggingAsync(call.Body, _maxXmlBytes, call.Aborted).ConfigureAwait(false);
        var address = ObjectAddress.Of(call);
        var found = await ObjectLookup.FindAsync(call.Pach, address, call.Aborted).ConfigureAwait(false);
        var record = found.Record ?? ObjectRecord.Bare(found);
        var current = address.VersionId is null;
        await ObjectRecords.WriteAsync(call.Pach, address.Bucket, address.Key, record with { Tags = tags.Count > 0 ? tags : null }, call.Aborted, current).ConfigureAwait(false);
        return S3Response.Status(_delete ? StatusCodes.Status204NoContent : StatusCodes.Status200OK).WithHeader("x-amz-version-id", found.VersionId);
    }
}
