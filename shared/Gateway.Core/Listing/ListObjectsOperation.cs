using System.Globalization;
using Gateway.Core.Buckets;
using Gateway.Core.Dispatch;
using Gateway.Core.Results;
using Gateway.S3.Errors;

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

        var maxKeys = ParseMaxKeys(q.Get("max-keys"));
        var encodingType = q.Get("encoding-type");
        if (encodingType is not null && encodingType.Length > 0 && !string.Equals(encodingType, "url", StringComparison.OrdinalIgnoreCase))
        {
            throw S3Exception.InvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", encodingType);
        }

        var urlEncode = encodingType is not null && encodingType.Length > 0;
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
            FetchOwner: !v2 || string.Equals(q.Get("fetch-owner"), "true", StringComparison.OrdinalIgnoreCase));
        await S3Results.WriteListObjectsAsync(call, result, v2).ConfigureAwait(false);
    }

    /// <summary>max-keys: default and cap 1000; not a non-negative integer is InvalidArgument.</summary>
    internal static int ParseMaxKeys(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return ListObjectsQuery.MaxPageSize;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw S3Exception.InvalidArgument("Provided max-keys not an integer or within integer range", "max-keys", value);
        }

        return (int)Math.Min(n, ListObjectsQuery.MaxPageSize);
    }
}
