using System.Text;
using Gateway.Core.Dispatch;
using Gateway.Core.Errors;
using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Pachyderm;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Xml.Documents;
using Gateway.S3.Xml.Requests;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Uploads;

/// <summary>
/// CompleteMultipartUpload. The object is assembled inside pachd in exactly one commit on the destination branch:
/// one ModifyFile that deletes the key, copies part 1 onto it and appends every following part with CopyFile —
/// no data flows back through the gateway, and readers see the old object or the whole new one, never a prefix.
/// A second ModifyFile then removes the upload's directory from the uploads repo. Slow completes keep the
/// connection alive with whitespace (<see cref="KeepAliveResponse"/>).
/// </summary>
internal sealed class CompleteMultipartUploadOperation
{
    /// <summary>S3's keep-alive cadence for slow completes.</summary>
    public static readonly TimeSpan DefaultKeepAliveInterval = TimeSpan.FromSeconds(10);

    private readonly KeepAliveResponse _keepAlive;
    private readonly ILogger _logger;

    public CompleteMultipartUploadOperation(TimeSpan keepAliveInterval, TimeProvider time, ILogger logger)
    {
        _keepAlive = new KeepAliveResponse(keepAliveInterval, time);
        _logger = logger;
    }

    public async Task CompleteAsync(S3Call call)
    {
        var upload = await MultipartOperations.RequireUploadAsync(call).ConfigureAwait(false);
        var request = await S3XmlRequestReader.ReadCompleteMultipartUploadAsync(call.Body, (int)GatewayHandler.NonWriteBodyLimit, call.Aborted).ConfigureAwait(false);
        await _keepAlive.RunAsync(call.Http, ct => AssembleAsync(call, upload, request, ct)).ConfigureAwait(false);
    }

    private async Task<KeepAliveResult> AssembleAsync(S3Call call, UploadInfo upload, CompleteMultipartUploadRequest request, CancellationToken cancellationToken)
    {
        var bucket = call.RequiredBucket;
        var path = ObjectKey.ToPath(upload.Key);
        try
        {
            var stored = await UploadStore.ListPartsAsync(call.Pach, upload, cancellationToken: cancellationToken).ConfigureAwait(false);
            var plan = CompletePlanner.Plan(request.Parts, stored);
            await EvaluateConditionsAsync(call, bucket, path, cancellationToken).ConfigureAwait(false);
            await call.Pach.ModifyFileAsync(bucket.WriteCommit, w => WriteAssemblyAsync(w, path, plan, cancellationToken), cancellationToken).ConfigureAwait(false);
            var info = await call.Pach.InspectFileAsync(new FileRef(bucket.ReadCommit, path), cancellationToken).ConfigureAwait(false);
            await RemoveUploadAsync(call, upload, cancellationToken).ConfigureAwait(false);
            UploadsLog.Completed(_logger, upload.UploadId, plan.Count, info.SizeBytes);

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (info.File?.Commit?.Id is { Length: > 0 } version)
            {
                headers["x-amz-version-id"] = version;
            }

            var result = new CompleteMultipartUploadResult
            {
                Location = Location(call, upload.Key),
                Bucket = call.BucketName,
                Key = upload.Key,
                ETag = ETag.FromHash(info.Hash),
                Checksums = CompletePlanner.CompositeChecksum(plan) is { } composite ? [composite] : null,
            };
            return new KeepAliveResult(result, headers);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Object, call.BucketName, upload.Key);
        }
        catch (S3Exception e) when (ReferenceEquals(e.Error, S3Errors.InvalidPart))
        {
            var withId = new S3Exception(S3Errors.InvalidPart, e.Message).WithDetail("UploadId", upload.UploadId);
            foreach (var (name, value) in e.Details)
            {
                withId.WithDetail(name, value);
            }

            throw withId;
        }
    }

    /// <summary>The one ModifyFile stream that assembles the object: delete, copy the first part, append the rest.</summary>
    internal static async Task WriteAssemblyAsync(IModifyFileWriter writer, string path, IReadOnlyList<StoredPart> plan, CancellationToken cancellationToken)
    {
        await writer.DeleteFileAsync(path, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < plan.Count; i++)
        {
            await writer.CopyFileAsync(path, plan[i].Source, append: i > 0, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>If-None-Match / If-Match on the destination (conditional writes), checked only when sent.</summary>
    private static async Task EvaluateConditionsAsync(S3Call call, BucketAddress bucket, string path, CancellationToken cancellationToken)
    {
        var headers = call.Request.Headers;
        if (headers.IfNoneMatch.Count == 0 && headers.IfMatch.Count == 0)
        {
            return;
        }

        string? current = null;
        try
        {
            var info = await call.Pach.InspectFileAsync(new FileRef(bucket.ReadCommit, path), cancellationToken).ConfigureAwait(false);
            if (info.FileType == Gateway.Pachyderm.Protos.Pfs.FileType.File)
            {
                current = ETag.FromHash(info.Hash);
            }
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
        {
            // Absent destination.
        }

        S3Conditions.EvaluateWrite(headers, current is not null, current);
    }

    /// <summary>
    /// Removes the upload's directory. The object is complete by now, so a failure here is logged rather than
    /// reported: the client's object exists, and the leftover upload can still be aborted.
    /// </summary>
    private async Task RemoveUploadAsync(S3Call call, UploadInfo upload, CancellationToken cancellationToken)
    {
        try
        {
            await UploadStore.DeleteAsync(call.Pach, upload, cancellationToken).ConfigureAwait(false);
        }
        catch (PachException e)
        {
            UploadsLog.CleanupFailed(_logger, upload.UploadId, e.Kind);
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
