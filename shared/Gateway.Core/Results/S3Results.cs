using Gateway.Core.Dispatch;
using Gateway.Core.Listing;
using Gateway.S3.Xml;
using Gateway.S3.Xml.Documents;

namespace Gateway.Core.Results;

/// <summary>
/// Turns what the operations found in PFS into the protocol library's result documents and streams them.
/// </summary>
internal static class S3Results
{
    /// <summary>
    /// The owner every bucket and object reports: Pachyderm has no S3 account model, so one constant owner.
    /// </summary>
    public static readonly S3Owner Owner = new("0000000000000000000000000000000000000000000000000000000000000000", "pachyderm");

    /// <summary>Streams <paramref name="document"/> as the 200 response.</summary>
    public static Task WriteAsync(S3Call call, IS3XmlDocument document) =>
        S3XmlResponse.WriteAsync(call.Response, document, call.Aborted);

    /// <summary>ListAllMyBucketsResult.</summary>
    public static Task WriteListBucketsAsync(S3Call call, IReadOnlyList<S3BucketEntry> buckets) =>
        WriteAsync(call, new ListAllMyBucketsResult { Owner = Owner, Buckets = buckets });

    /// <summary>LocationConstraint (empty means us-east-1).</summary>
    public static Task WriteLocationAsync(S3Call call, string location) =>
        WriteAsync(call, new LocationConstraintResult(location));

    /// <summary>VersioningConfiguration.</summary>
    public static Task WriteVersioningAsync(S3Call call, string status) =>
        WriteAsync(call, new VersioningConfiguration(status));

    /// <summary>ListBucketResult, v1 or v2.</summary>
    public static Task WriteListObjectsAsync(S3Call call, ListingResult r, bool v2)
    {
        var contents = r.Page.Objects.Select(o => new S3ObjectEntry
        {
            Key = o.Key,
            LastModified = o.LastModified ?? DateTimeOffset.UnixEpoch,
            ETag = o.ETag,
            Size = o.Size,
            Owner = Owner,
        }).ToList();
        var encoding = r.UrlEncode ? S3XmlKeyEncoding.Url : null;
        IS3XmlDocument document = v2
            ? new ListBucketResultV2
            {
                Name = r.BucketName,
                Prefix = r.Prefix,
                MaxKeys = r.MaxKeys,
                Delimiter = r.Delimiter,
                IsTruncated = r.Page.IsTruncated,
                ContinuationToken = r.ContinuationToken,
                NextContinuationToken = r.NextContinuationToken,
                StartAfter = r.StartAfter,
                EncodingType = encoding,
                FetchOwner = r.FetchOwner,
                Contents = contents,
                CommonPrefixes = r.Page.CommonPrefixes,
            }
            : new ListBucketResult
            {
                Name = r.BucketName,
                Prefix = r.Prefix,
                Marker = r.Marker ?? string.Empty,
                MaxKeys = r.MaxKeys,
                Delimiter = r.Delimiter,
                IsTruncated = r.Page.IsTruncated,
                NextMarker = r.NextMarker,
                EncodingType = encoding,
                Contents = contents,
                CommonPrefixes = r.Page.CommonPrefixes,
            };
        return WriteAsync(call, document);
    }
}
