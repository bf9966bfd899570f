using Gateway.Core.Buckets;
using Gateway.Core.Metadata;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Gateway.S3.Xml;
using Gateway.S3.Xml.Documents;

namespace Gateway.Core.Listing;

/// <summary>ListObjects (v1) and ListObjectsV2: one page from <see cref="ObjectLister"/>, resumed after the marker.</summary>
internal sealed class ListObjectsOperation : IGatewayOperation
{
    private readonly bool _v2;

    /// <param name="v2">True for ListObjectsV2 (continuation tokens, start-after, fetch-owner).</param>
    public ListObjectsOperation(bool v2) => _v2 = v2;

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var q = call.Target.Query;
        var (prefix, delimiter, maxKeys, encoding) = ListingParameters.From(q);
        var continuationToken = _v2 ? q.Get("continuation-token") : null;
        var startAfter = _v2 ? q.Get("start-after") : null;
        var marker = _v2 ? null : q.Get("marker");
        var resumeAfter = _v2 ? startAfter : marker;
        var resumeAfterStored = continuationToken is null ? null : ContinuationToken.Decode(continuationToken);
        var fetchOwner = !_v2 || S3ListParameters.ParseBoolean(q.Get("fetch-owner"), "fetch-owner");

        var query = new ListObjectsQuery(prefix, delimiter, string.IsNullOrEmpty(resumeAfter) ? null : resumeAfter, maxKeys, resumeAfterStored);
        var page = await ObjectLister.ListAsync(call.Pach, call.RequiredBucket.ReadCommit, query, call.Aborted).ConfigureAwait(false);
        if (page.Count == 0)
        {
            // An empty page may hide a missing bucket (ListFile answers NOT_FOUND for both): check only now.
            await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        }

        var etags = await ObjectIndex.ETagsAsync(call.Pach, call.RequiredBucket, page.Objects, call.Aborted).ConfigureAwait(false);
        if (call.RequiredBucket.CommitId is not null)
        {
            // The listing index describes the branch head; at an older commit, each object's own record says.
            var missing = page.Objects.Where(o => !etags.ContainsKey(o.Key)).ToList();
            var recorded = await ObjectRecords.ReadETagsAsync(call.Pach, call.RequiredBucket, [.. missing.Select(o => (o.Key, o.Hash, o.Size))], call.Aborted).ConfigureAwait(false);
            for (var i = 0; i < missing.Count; i++)
            {
                if (recorded[i] is { } etag)
                {
                    etags[missing[i].Key] = etag;
                }
            }
        }

        var contents = page.Objects.Select(o => new S3ObjectEntry
        {
            Key = o.Key,
            LastModified = o.LastModified ?? DateTimeOffset.UnixEpoch,
            ETag = etags.GetValueOrDefault(o.Key, o.ETag),
            Size = o.Size,
            Owner = Owners.Pachyderm,
        }).ToList();
        IS3XmlDocument document = _v2
            ? new ListBucketResultV2
            {
                Name = call.BucketName,
                Prefix = prefix,
                MaxKeys = maxKeys,
                Delimiter = delimiter,
                IsTruncated = page.IsTruncated,
                ContinuationToken = continuationToken,
                NextContinuationToken = page.IsTruncated && page.LastStoredEntry is not null ? ContinuationToken.Encode(page.LastStoredEntry) : null,
                StartAfter = startAfter,
                EncodingType = encoding,
                FetchOwner = fetchOwner,
                Contents = contents,
                CommonPrefixes = page.CommonPrefixes,
            }
            : new ListBucketResult
            {
                Name = call.BucketName,
                Prefix = prefix,
                Marker = marker ?? string.Empty,
                MaxKeys = maxKeys,
                Delimiter = delimiter,
                IsTruncated = page.IsTruncated,
                NextMarker = page.IsTruncated && delimiter is not null ? page.LastEntry : null,
                EncodingType = encoding,
                Contents = contents,
                CommonPrefixes = page.CommonPrefixes,
            };
        return S3Response.Xml(document);
    }
}
