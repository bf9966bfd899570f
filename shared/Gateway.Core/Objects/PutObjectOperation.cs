using Gateway.Core.Buckets;
using Gateway.Core.Metadata;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Tags;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Objects;

/// <summary>
/// PutObject: the verified body streams into one ModifyFile on the branch head (one commit); then the object's record
/// (MD5 ETag, metadata, tags, checksum) goes to the bucket's gateway branch. Branches are never created implicitly. A
/// key ending in '/' (a "folder marker") with an empty body creates nothing: PFS directories exist only through their
/// files; the answer is 200 with the empty object's ETag so that tools that make folders carry on. Such a key with
/// data is InvalidArgument.
/// </summary>
internal sealed class PutObjectOperation : IGatewayOperation
{
    private readonly long _maxObjectSize;
    private readonly RecordGroupCommit _records;
    private readonly ILogger _logger;

    public PutObjectOperation(long maxObjectSize, RecordGroupCommit records, ILogger logger)
    {
        _maxObjectSize = maxObjectSize;
        _records = records;
        _logger = logger;
    }

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var key = call.Key;
        if (ObjectKey.Check(key) is { } refused)
        {
            throw refused;
        }

        ObjectUpload.RequireDeclaredSizeWithin(call, _maxObjectSize);
        var metadata = S3ObjectMetadata.FromRequest(call.Request);
        var tags = S3TagSet.FromHeader(call.Request.Headers[S3TagSet.HeaderName].ToString());
        var bucket = call.RequiredBucket;
        if (ObjectKey.IsDirectoryKey(key))
        {
            return await PutFolderMarkerAsync(call, await BucketGuard.RequireAsync(call).ConfigureAwait(false)).ConfigureAwait(false);
        }

        // The branch head before the write is what a search for the write's commit starts from (pachd). A server that
        // names the commit each write creates needs no search, and a missing bucket then fails the path lookup below
        // (NoSuchBucket) before any byte of the body is read: one call less per PUT.
        var branch = call.Pach.NamesCreatedCommits ? null : await BucketGuard.RequireAsync(call).ConfigureAwait(false);

        var path = ObjectKey.ToPath(key);
        await WriteConditions.CheckAsync(call, key, call.Aborted).ConfigureAwait(false);
        await ObjectUpload.RequireNoPathConflictAsync(call.Pach, bucket.ReadCommit, key, call.Aborted).ConfigureAwait(false);
        var modified = await call.Pach.ModifyFileDescribedAsync(bucket.WriteCommit, async w =>
        {
            await ObjectUpload.ReplaceAsync(w, key, call.Aborted).ConfigureAwait(false);
            await w.AddFileAsync(path, call.Body, call.Aborted).ConfigureAwait(false);
        }, call.Aborted).ConfigureAwait(false);
        var written = call.Body.BytesRead;
        var md5 = call.Body.Md5;
        var (found, exact) = await ObjectUpload.FindWrittenAsync(call.Pach, bucket, branch?.Head?.Id, modified.CreatedCommit, path, f => f is not null && f.SizeBytes == written, call.Aborted,
            md5 is { } sum ? file => ObjectUpload.HasMd5Async(call.Pach, file, sum, call.Aborted) : null, modified.LastAdded).ConfigureAwait(false);

        var md5ETag = md5 is { } bodyMd5 ? ETags.FromMd5(bodyMd5.Span) : null;
        var record = new ObjectRecord
        {
            Hash = found.Hash,
            Size = found.Size,
            ETag = md5ETag ?? found.ContentETag,
            Metadata = metadata,
            Tags = tags.Count > 0 ? tags : null,
            Checksum = call.VerifiedChecksums is [var checksum, ..] ? S3StoredChecksum.FullObject(checksum) : null,
            VersionId = found.VersionId,
        };

        // A write that cannot be told from a concurrent one of the same key records nothing: a record must describe the
        // content it names. The client still gets its own bytes' ETag.
        var recorded = exact && await _records.TryWriteAsync(call, bucket, key, record, _logger).ConfigureAwait(false);
        var response = S3Response.Status(StatusCodes.Status200OK);
        response.Headers.ETag = recorded ? record.ETag : exact ? found.ContentETag : md5ETag ?? found.ContentETag;
        response.WithHeader("x-amz-version-id", found.VersionId);
        return ObjectUpload.EchoChecksums(call, response);
    }

    private static async Task<S3Response> PutFolderMarkerAsync(S3Call call, BranchInfo branch)
    {
        var probe = new byte[1];
        if (await call.Body.ReadAsync(probe, call.Aborted).ConfigureAwait(false) > 0)
        {
            throw S3Exception.InvalidArgument("A key ending in '/' is a directory in Pachyderm and cannot hold data.", "key", call.Key);
        }

        var response = S3Response.Status(StatusCodes.Status200OK);
        response.Headers.ETag = ETags.FromMd5(System.Security.Cryptography.MD5.HashData(ReadOnlySpan<byte>.Empty));
        response.WithHeader("x-amz-version-id", branch.Head?.Id);
        return ObjectUpload.EchoChecksums(call, response);
    }
}
