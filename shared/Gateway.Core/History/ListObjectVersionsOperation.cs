using Gateway.Core.Buckets;
using Gateway.Core.Listing;
using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Core.Pipeline;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Xml;
using Gateway.S3.Xml.Documents;

namespace Gateway.Core.History;

/// <summary>
/// ListObjectVersions: the versions of each key are the commits of the branch in which it changed, newest first; a
/// commit that deleted it is a delete marker. One page from <see cref="VersionLister"/> over the bucket's
/// <see cref="VersionHistory"/>, brought up to date first.
/// </summary>
internal sealed class ListObjectVersionsOperation : IGatewayOperation
{
    public async Task<S3Response> RunAsync(S3Call call)
    {
        var q = call.Target.Query;
        var (prefix, delimiter, maxKeys, encoding) = ListingParameters.From(q);
        var keyMarker = q.Get("key-marker") is { Length: > 0 } k ? k : null;
        var versionIdMarker = q.Get("version-id-marker") is { Length: > 0 } v ? v : null;
        if (versionIdMarker is not null && keyMarker is null)
        {
            throw S3Exception.InvalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker", versionIdMarker);
        }

        var bucket = call.RequiredBucket;
        var branch = await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        var history = await VersionHistory.OpenAsync(call.Pach, bucket, branch, call.Aborted).ConfigureAwait(false);
        (string, CommitMark)? after = null;
        if (VersionIds.Normalize(versionIdMarker) is { } marker)
        {
            after = (marker, await history.FindCommitAsync(marker, call.Aborted).ConfigureAwait(false)
                ?? throw S3Exception.InvalidArgument("Invalid version id specified", "version-id-marker", marker));
        }

        CommitMark? asOf = null;
        if (bucket.CommitId is { } pinned)
        {
            asOf = await history.FindCommitAsync(pinned, call.Aborted).ConfigureAwait(false)
                ?? throw new S3Exception(S3Errors.NoSuchBucket) { BucketName = call.BucketName };
        }

        var page = await VersionLister.ListAsync(history, new VersionQuery(prefix, delimiter, keyMarker, after, maxKeys, asOf), call.Aborted).ConfigureAwait(false);

        // Versions indexed before their record was written (or written by other means) look theirs up now.
        var entries = await VersionHistory.WithETagsAsync(call.Pach, bucket, page.Entries.Select(e => e.Entry), call.Aborted).ConfigureAwait(false);
        return S3Response.Xml(new ListVersionsResult
        {
            Name = call.BucketName,
            Prefix = prefix,
            KeyMarker = keyMarker ?? string.Empty,
            VersionIdMarker = versionIdMarker ?? string.Empty,
            NextKeyMarker = page.IsTruncated ? page.NextKeyMarker : null,
            NextVersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : null,
            MaxKeys = maxKeys,
            Delimiter = delimiter,
            IsTruncated = page.IsTruncated,
            EncodingType = encoding,
            Entries = [.. entries.Select((e, i) => new S3VersionEntry
            {
                Key = e.Key,
                VersionId = e.VersionId,
                IsLatest = page.Entries[i].IsLatest,
                LastModified = e.LastModified,
                IsDeleteMarker = e.IsDeleteMarker,
                ETag = e.IsDeleteMarker ? string.Empty : e.ETag is { } etag ? ETags.Quote(etag) : ETag.FromHash(Convert.FromHexString(e.Hash)),
                Size = e.Size,
                Owner = Owners.Pachyderm,
            })],
            CommonPrefixes = page.CommonPrefixes,
        });
    }
}
