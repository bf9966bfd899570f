using System.Text;
using Gateway.Core.Buckets;
using Gateway.Core.Metadata;
using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3.Checksums;
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
/// manifest, composite checksum, part sizes) and replaces the upload's directory with the upload's receipt
/// (<see cref="UploadReceipt"/>): a retry of the same Complete, whose client lost the first answer, is answered from it
/// with the same result, as S3 does. Slow completes are answered with keep-alive whitespace
/// (<see cref="S3Response.KeepAlive"/>).
/// </summary>
internal sealed class CompleteMultipartUploadOperation : IGatewayOperation
{
    private const int _assemblyAttempts = 3;
    private readonly int _maxXmlBytes;
    private readonly TimeProvider _time;
    private readonly UploadExpiry _expiry;
    private readonly ILogger _logger;

    public CompleteMultipartUploadOperation(int maxXmlBytes, TimeProvider time, UploadExpiry expiry, ILogger logger)
    {
        _maxXmlBytes = maxXmlBytes;
        _time = time;
        _expiry = expiry;
        _logger = logger;
    }

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var uploadId = call.Target.Query.Get("uploadId") ?? string.Empty;
        var upload = await UploadStore.FindAsync(call.Pach, call.RequiredBucket, call.Key, uploadId, _expiry, call.Aborted).ConfigureAwait(false);
        if (upload is null)
        {
            return await AnswerAgainAsync(call, uploadId).ConfigureAwait(false);
        }

        var request = await S3XmlRequestReader.ReadCompleteMultipartUploadAsync(call.Body, _maxXmlBytes, call.Aborted).ConfigureAwait(false);
        return S3Response.KeepAlive(ct => AssembleAsync(call, upload, request, ct));
    }

    /// <summary>
    /// A Complete of an upload that is no more: the same answer as the first time when the upload was completed with
    /// the same parts, else NoSuchUpload (before the body is read, when there is no receipt).
    /// </summary>
    private async Task<S3Response> AnswerAgainAsync(S3Call call, string uploadId)
    {
        var receipt = await UploadStore.FindReceiptAsync(call.Pach, call.RequiredBucket, call.Key, uploadId, _expiry, call.Aborted).ConfigureAwait(false)
            ?? throw UploadStore.NoSuchUpload(uploadId);
        var request = await S3XmlRequestReader.ReadCompleteMultipartUploadAsync(call.Body, _maxXmlBytes, call.Aborted).ConfigureAwait(false);
        if (!receipt.Matches(request.Parts))
        {
            throw UploadStore.NoSuchUpload(uploadId);
        }

        UploadsLog.CompletedAgain(_logger, uploadId);
        return Answer(call, receipt.Key, receipt.ETag, receipt.Checksum, receipt.VersionId);
    }

    private static S3Response Answer(S3Call call, string key, string etag, S3StoredChecksum? checksum, string? versionId) =>
        S3Response.Xml(new CompleteMultipartUploadResult
        {
            Location = Location(call, key),
            Bucket = call.BucketName,
            Key = key,
            ETag = etag,
            Checksums = checksum is null ? null : [checksum.Checksum],
        }).WithHeader("x-amz-version-id", versionId);

    private async Task<S3Response> AssembleAsync(S3Call call, UploadInfo upload, CompleteMultipartUploadRequest request, CancellationToken cancellationToken)
    {
        var bucket = call.RequiredBucket;
        var path = ObjectKey.ToPath(upload.Key);
        var plan = await PlanAsync(call, upload, request, cancellationToken).ConfigureAwait(false);
        var manifest = await UploadStore.ReadManifestAsync(call.Pach, upload, cancellationToken).ConfigureAwait(false);
        await WriteConditions.CheckAsync(call, upload.Key, cancellationToken).ConfigureAwait(false);
        await ObjectUpload.RequireNoPathConflictAsync(call.Pach, bucket.ReadCommit, upload.Key, cancellationToken).ConfigureAwait(false);
        var before = (await BucketGuard.RequireAsync(call).ConfigureAwait(false)).Head?.Id;
        string? created;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                created = await call.Pach.ModifyFileAsync(bucket.WriteCommit, w => WriteAssemblyAsync(w, upload.Key, plan, cancellationToken), cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (PachException e) when (e.Kind is PachErrorKind.CommitNotFound or PachErrorKind.FileNotFound && attempt < _assemblyAttempts)
            {
                // The gateway-branch commit the parts were listed at was squashed meanwhile (HistoryTrimmer): the
                // failed ModifyFile wrote nothing; list the parts again, at the head.
                plan = await PlanAsync(call, upload, request, cancellationToken).ConfigureAwait(false);
            }
        }

        var size = plan.Sum(p => p.Size);
        var (found, exact) = await ObjectUpload.FindWrittenAsync(call.Pach, bucket, before, created, path, f => f is not null && f.SizeBytes == size, cancellationToken).ConfigureAwait(false);
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
        var receipt = new UploadReceipt
        {
            Key = upload.Key,
            UploadId = upload.UploadId,
            Completed = _time.GetUtcNow(),
            ETag = record.ETag,
            VersionId = found.VersionId,
            Checksum = composite,
            Parts = [.. plan.Select(p => new UploadReceiptPart(p.Number, p.ETag))],
        };
        var recorded = await FinishAsync(call, upload, exact ? record : null, receipt, cancellationToken).ConfigureAwait(false) && exact;
        UploadsLog.Completed(_logger, upload.UploadId, plan.Count, found.Size);
        return Answer(call, upload.Key, recorded || !exact ? record.ETag : found.ContentETag, composite, found.VersionId);
    }

    /// <summary>The stored parts the request names, in its order, pinned to the gateway-branch commit they were listed at.</summary>
    private static async Task<IReadOnlyList<StoredPart>> PlanAsync(S3Call call, UploadInfo upload, CompleteMultipartUploadRequest request, CancellationToken cancellationToken)
    {
        var stored = await UploadStore.ListPartsAsync(call.Pach, upload, cancellationToken: cancellationToken).ConfigureAwait(false);
        return CompletePlanner.Plan(request.Parts, stored, uploadId: upload.UploadId);
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
    /// concurrent one) and replaces the upload's directory with its receipt (and removes expired uploads when it is
    /// this instance's turn), in one commit on the gateway branch. The object is complete by now, so a failure here
    /// is logged rather than reported (the object is served with its content-derived ETag, and a leftover upload
    /// can still be aborted); false when the record was not written.
    /// </summary>
    private async Task<bool> FinishAsync(S3Call call, UploadInfo upload, ObjectRecord? record, UploadReceipt receipt, CancellationToken cancellationToken)
    {
        try
        {
            var expired = await UploadSweep.DueAsync(call.Pach, upload.Bucket, _expiry, upload.Directory, cancellationToken).ConfigureAwait(false);
            await UploadStore.ModifyAsync(call.Pach, upload.Bucket, async w =>
            {
                if (record is not null)
                {
                    await ObjectRecords.WriteAsync(w, upload.Key, record, cancellationToken).ConfigureAwait(false);
                }

                await w.DeleteFileAsync(upload.Directory, cancellationToken).ConfigureAwait(false);
                await w.AddFileAsync(UploadLayout.ReceiptPath(upload.Directory, receipt.Completed), receipt.Serialize(), cancellationToken).ConfigureAwait(false);
                await UploadStore.DeleteAllAsync(w, expired, cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            UploadsLog.Swept(_logger, expired.Count, call.BucketName);
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
