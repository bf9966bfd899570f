using System.Text;
using Gateway.Core.Buckets;
using Gateway.Core.Metadata;
using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3.Http;
using Gateway.S3.Xml.Documents;
using Gateway.S3.Xml.Requests;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Uploads;

/// <summary>
/// CompleteMultipartUpload. The object is assembled inside pachd in exactly one commit on the destination branch:
/// one ModifyFile that deletes the key, copies part 1 onto it and appends every following part with CopyFile —
/// no data flows back through the gateway, and readers see the old object or the whole new one, never a prefix.
/// A second ModifyFile, on the gateway branch, writes the object's record (multipart ETag, metadata and tags from the
/// manifest, composite checksum, part sizes) and removes the upload's directory. Slow completes are answered
/// with keep-alive whitespace (<see cref="S3Response.KeepAlive"/>).
/// </summary>
internal sealed class CompleteMultipartUploadOperation : IGatewayOperation
{
    private readonly int _maxXmlBytes;
    private readonly ILogger _logger;

    public CompleteMultipartUploadOperation(int maxXmlBytes, ILogger logger)
    {
        _maxXmlBytes = maxXmlBytes;
        _logger = logger;
    }

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var upload = await UploadStore.RequireAsync(call).ConfigureAwait(false);
        var request = await S3XmlRequestReader.ReadCompleteMultipartUploadAsync(call.Body, _maxXmlBytes, call.Aborted).ConfigureAwait(false);
        return S3Response.KeepAlive(ct => AssembleAsync(call, upload, request, ct));
    }

    private async Task<S3Response> AssembleAsync(S3Call call, UploadInfo upload, CompleteMultipartUploadRequest request, CancellationToken cancellationToken)
    {
        var bucket = call.RequiredBucket;
        var path = ObjectKey.ToPath(upload.Key);
        var stored = await UploadStore.ListPartsAsync(call.Pach, upload, cancellationToken: cancellationToken).ConfigureAwait(false);
        var plan = CompletePlanner.Plan(request.Parts, stored, uploadId: upload.UploadId);
        var manifest = await UploadStore.ReadManifestAsync(call.Pach, upload, cancellationToken).ConfigureAwait(false);
        await WriteConditions.CheckAsync(call, upload.Key, cancellationToken).ConfigureAwait(false);
        await ObjectUpload.RequireNoPathConflictAsync(call.Pach, bucket.ReadCommit, upload.Key, cancellationToken).ConfigureAwait(false);
        var before = (await BucketGuard.RequireAsync(call).ConfigureAwait(false)).Head?.Id;
        await call.Pach.ModifyFileAsync(bucket.WriteCommit, w => WriteAssemblyAsync(w, upload.Key, plan, cancellationToken), cancellationToken).ConfigureAwait(false);
        var size = plan.Sum(p => p.Size);
        var (found, exact) = await ObjectUpload.FindWrittenAsync(call.Pach, bucket, before, path, f => f is not null && f.SizeBytes == size, cancellationToken).ConfigureAwait(false);
        var composite = CompletePlanner.CompositeChecksum(plan);
        var record = new ObjectRecord
        {
            Hash = found.Hash,
            Size = found.Size,
            ETag = plan.All(p => p.Md5 is not null) ? ETags.MultipartFromMd5s([.. plan.Select(p => p.Md5!)]) : found.ContentETag,
            Metadata = manifest?.Metadata,
            Tags = manifest?.Tags,
            Checksum = composite,
            PartSizes = [.. plan.Select(p => p.Size)],
            VersionId = found.VersionId,
        };
        var recorded = await FinishAsync(call, upload, exact ? record : null, cancellationToken).ConfigureAwait(false) && exact;
        UploadsLog.Completed(_logger, upload.UploadId, plan.Count, found.Size);

        return S3Response.Xml(new CompleteMultipartUploadResult
        {
            Location = Location(call, upload.Key),
            Bucket = call.BucketName,
            Key = upload.Key,
            ETag = recorded || !exact ? record.ETag : found.ContentETag,
            Checksums = composite is null ? null : [composite.Checksum],
        }).WithHeader("x-amz-version-id", found.VersionId);
    }

    /// <summary>The one ModifyFile stream that assembles the object: delete, copy the first part, append the rest.</summary>
    private static async Task WriteAssemblyAsync(IModifyFileWriter writer, string key, IReadOnlyList<StoredPart> plan, CancellationToken cancellationToken)
    {
        var path = ObjectKey.ToPath(key);
        await ObjectUpload.ReplaceAsync(writer, key, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < plan.Count; i++)
        {
            await writer.CopyFileAsync(path, plan[i].Source, append: i > 0, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the object's record (none when <paramref name="record"/> is null: a write that could not be told from a
    /// concurrent one) and removes the upload's directory, in one commit on the gateway branch. The object
    /// is complete by now, so a failure here is logged rather than reported (the object is served with its
    /// content-derived ETag, and a leftover upload can still be aborted); false when the record was not written.
    /// </summary>
    private async Task<bool> FinishAsync(S3Call call, UploadInfo upload, ObjectRecord? record, CancellationToken cancellationToken)
    {
        try
        {
            await UploadStore.ModifyAsync(call.Pach, upload.Bucket, async w =>
            {
                if (record is not null)
                {
                    await ObjectRecords.WriteAsync(w, upload.Key, record, cancellationToken).ConfigureAwait(false);
                }

                await w.DeleteFileAsync(upload.Directory, cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PachException e) when (e.Kind != PachErrorKind.Cancelled)
        {
            UploadsLog.CleanupFailed(_logger, upload.UploadId, e.Kind);
            return false;
        }
    }

    private static string Location(S3Call call, string key)
    {
        var sb = new StringBuilder();
        sb.Append(call.Request.Scheme).Append("://").Append(call.Request.Host.Value).Append('/').Append(Uri.EscapeDataString(call.BucketName)).Append('/');
        var first = true;
        foreach (var segment in key.Split('/'))
        {
            if (!first)
            {
                sb.Append('/');
            }

            sb.Append(Uri.EscapeDataString(segment));
            first = false;
        }

        return sb.ToString();
    }
}
