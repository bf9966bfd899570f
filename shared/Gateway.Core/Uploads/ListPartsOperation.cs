using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Gateway.S3.Xml.Documents;

namespace Gateway.Core.Uploads;

/// <summary>ListParts in numeric order with part-number-marker / max-parts paging.</summary>
internal sealed class ListPartsOperation(UploadExpiry expiry) : IGatewayOperation
{
    public async Task<S3Response> RunAsync(S3Call call)
    {
        var query = call.Target.Query;
        var marker = S3ListParameters.ParsePartNumberMarker(query.Get("part-number-marker"));
        var maxParts = S3ListParameters.ParseMaxKeys(query.Get("max-parts"), "max-parts");
        var upload = await UploadStore.RequireAsync(call, expiry).ConfigureAwait(false);
        var parts = maxParts == 0 ? [] : await UploadStore.ListPartsAsync(call.Pach, upload, marker, maxParts, call.Aborted).ConfigureAwait(false);
        var truncated = parts.Count > maxParts;
        if (truncated)
        {
            parts.RemoveRange(maxParts, parts.Count - maxParts);
        }

        return S3Response.Xml(new ListPartsResult
        {
            Bucket = call.BucketName,
            Key = call.Key,
            UploadId = upload.UploadId,
            Initiator = Owners.Pachyderm,
            Owner = Owners.Pachyderm,
            PartNumberMarker = marker,
            NextPartNumberMarker = parts.Count > 0 ? parts[^1].Number : 0,
            MaxParts = maxParts,
            IsTruncated = truncated,
            Parts = parts.Select(p => new S3PartEntry(p.Number, p.Uploaded, p.ETag, p.Size) { Checksums = p.Checksum is { } c ? [c] : null }).ToList(),
        });
    }
}
