using Gateway.Core.Buckets;
using Gateway.Core.Dispatch;
using Gateway.Core.Results;
using Gateway.S3.Http;

namespace Gateway.Core.Listing;

/// <summary>ListObjects (v1) and ListObjectsV2 over <see cref="ObjectLister"/>.</summary>
internal sealed class ListObjectsOperation
{
    /// <summary>Answers a v1 or v2 listing request.</summary>
    public async Task ListAsync(S3Call call, bool v2)
    {
        var q = call.Target.Query;
        var prefix = q.Get("prefix") ?? string.Empty;
        var delimiter = q.Get("delimiter");
        if (delimiter?.Length == 0)
        {
            delimiter = null;
        }

        var maxKeys = S3ListParameters.ParseMaxKeys(q.Get("max-keys"));
        var urlEncode = S3ListParameters.ParseEncodingType(q.Get("encoding-type")) is not null;
        string? marker = null, continuationToken = null, startAfter = null, resumeAfter;
        if (v2)
        {
            continuationToken = q.Get("continuation-token");
            startAfter = q.Get("start-after");
            resumeAfter = continuationToken is not null ? ContinuationToken.Decode(continuationToken) : startAfter;
        }
        else
        {
            marker = q.Get("marker");
            resumeAfter = marker;
        }

        var query = new ListObjectsQuery(prefix, delimiter, string.IsNullOrEmpty(resumeAfter) ? null : resumeAfter, maxKeys);
        var page = await ObjectLister.ListAsync(call.Pach, call.RequiredBucket.ReadCommit, query, call.Aborted).ConfigureAwait(false);
        if (page.Count == 0)
        {
            // An empty page may hide a missing bucket (ListFile answers NOT_FOUND for both): check only now.
            await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        }

        var result = new ListingResult(
            BucketName: call.BucketName,
            Prefix: prefix,
            Delimiter: delimiter,
            MaxKeys: maxKeys,
            UrlEncode: urlEncode,
            Page: page,
            Marker: marker,
            NextMarker: !v2 && page.IsTruncated && delimiter is not null ? page.LastEntry : null,
            ContinuationToken: continuationToken,
            NextContinuationToken: v2 && page.IsTruncated && page.LastEntry is not null ? ContinuationToken.Encode(page.LastEntry) : null,
            StartAfter: startAfter,
            FetchOwner: !v2 || S3ListParameters.ParseBoolean(q.Get("fetch-owner"), "fetch-owner"));
        await S3Results.WriteListObjectsAsync(call, result, v2).ConfigureAwait(false);
    }
}
