using Gateway.Core.Buckets;
using Gateway.Core.Metadata;
using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Tags;
using Gateway.S3.Xml.Documents;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Copy;

/// <summary>
/// CopyObject inside pachd: one ModifyFile on the destination (delete the key, CopyFile from the source version),
/// so one commit and no data through the gateway, then the copy's record on the destination's gateway branch. The
/// answer carries the ETag (the source's), Last-Modified and commit, and the source commit as
/// <c>x-amz-copy-source-version-id</c>. <c>x-amz-metadata-directive</c> and <c>x-amz-tagging-directive</c> choose
/// between the source's metadata and tags (COPY, the default) and the request's (REPLACE).
/// </summary>
internal sealed class CopyObjectOperation : IGatewayOperation
{
    private const string _metadataDirectiveHeader = "x-amz-metadata-directive";
    private const string _taggingDirectiveHeader = "x-amz-tagging-directive";

    private readonly TimeProvider _time;
    private readonly RecordGroupCommit _records;
    private readonly ILogger _logger;

    public CopyObjectOperation(TimeProvider time, RecordGroupCommit records, ILogger logger)
    {
        _time = time;
        _records = records;
        _logger = logger;
    }

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var key = call.Key;
        ObjectKey.RequireWritable(key);
        var replaceMetadata = Directive(call, _metadataDirectiveHeader);
        var replaceTags = Directive(call, _taggingDirectiveHeader);
        var requestMetadata = replaceMetadata ? S3ObjectMetadata.FromRequest(call.Request) : null;
        var requestTags = replaceTags ? S3TagSet.FromHeader(call.Request.Headers[S3TagSet.HeaderName].ToString()) : null;

        var destination = call.RequiredBucket;
        var source = await CopySourceResolver.ResolveAsync(call).ConfigureAwait(false);
        var path = ObjectKey.ToPath(key);
        if (!replaceMetadata && !source.Versioned && SameBranch(source.Address.Bucket, destination) && source.Address.Key == key)
        {
            // S3 refuses a copy that would change nothing (only REPLACE changes the metadata).
            throw new S3Exception(S3Errors.InvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }

        var before = (await BucketGuard.RequireAsync(call).ConfigureAwait(false)).Head?.Id;
        await ObjectUpload.RequireNoPathConflictAsync(call.Pach, destination.ReadCommit, key, call.Aborted).ConfigureAwait(false);
        var sourceRecord = source.Object.Record;
        string? created;
        try
        {
            created = await call.Pach.ModifyFileAsync(destination.WriteCommit, async w =>
            {
                await ObjectUpload.ReplaceAsync(w, key, call.Aborted).ConfigureAwait(false);
                await w.CopyFileAsync(path, source.Object.File, append: false, call.Aborted).ConfigureAwait(false);
            }, call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound)
        {
            // The source vanished between inspection and copy (its commit is pinned, so only a squashed commit).
            throw new S3Exception(S3Errors.NoSuchKey) { Key = source.Address.Key };
        }

        // The copy has the source's bytes, so its own commit is the one that changed the key to the source's hash.
        var (copied, _) = await ObjectUpload.FindWrittenAsync(call.Pach, destination, before, created, path,
            f => f is not null && Convert.ToHexStringLower(f.Hash.Span) == source.Object.Hash, call.Aborted).ConfigureAwait(false);

        // The copy is the same bytes: it keeps the source's ETag, checksum and part sizes, and takes the metadata and
        // tags the directives say.
        var record = (sourceRecord ?? ObjectRecord.Bare(source.Object)).For(copied) with
        {
            Metadata = replaceMetadata ? requestMetadata : sourceRecord?.Metadata,
            Tags = replaceTags ? NullIfEmpty(requestTags) : sourceRecord?.Tags,
        };
        var recorded = await _records.TryWriteAsync(call, destination, key, record, _logger).ConfigureAwait(false);
        return S3Response.Xml(new CopyObjectResult
        {
            ETag = recorded ? record.ETag : copied.ContentETag,
            LastModified = copied.LastModified ?? _time.GetUtcNow(),
        })
            .WithHeader("x-amz-version-id", copied.VersionId)
            .WithHeader("x-amz-copy-source-version-id", source.Object.VersionId);
    }

    /// <summary>True for REPLACE, false for COPY or nothing; InvalidArgument otherwise.</summary>
    private static bool Directive(S3Call call, string header)
    {
        var value = call.Request.Headers[header].ToString();
        return value.ToUpperInvariant() switch
        {
            "" or "COPY" => false,
            "REPLACE" => true,
            _ => throw S3Exception.InvalidArgument($"Unknown {header}.", header, value),
        };
    }

    private static S3TagSet? NullIfEmpty(S3TagSet? tags) => tags is { Count: > 0 } ? tags : null;

    private static bool SameBranch(BucketAddress a, BucketAddress b) =>
        a.Project == b.Project && a.Repo == b.Repo && a.Branch == b.Branch && a.CommitId == b.CommitId;
}
