using System.Globalization;
using Gateway.Core.Buckets;
using Gateway.Core.Copy;
using Gateway.Core.Dispatch;
using Gateway.Core.Errors;
using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Core.Results;
using Gateway.Pachyderm;
using Gateway.S3.Body;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Xml.Documents;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Uploads;

/// <summary>
/// CreateMultipartUpload, UploadPart, UploadPartCopy, AbortMultipartUpload and ListParts over the uploads repo
/// (<see cref="UploadLayout"/>). Every request reads its state from pachd, so any gateway instance serves any
/// request of an upload; a part costs one ModifyFile (one commit) and its data streams straight into pachd.
/// </summary>
internal sealed class MultipartOperations
{
    private const string _checksumHeaderPrefix = "x-amz-checksum-";

    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public MultipartOperations(IOptions<GatewayOptions> options, TimeProvider time, ILogger logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Checks the bucket and the key, writes the upload's manifest (one commit) and returns the new id.</summary>
    public async Task CreateAsync(S3Call call)
    {
        var key = call.Key;
        ValidateKey(key);
        var bucket = call.RequiredBucket;
        await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        var uploadId = UploadIds.New();
        try
        {
            await UploadStore.CreateAsync(call.Pach, call.BucketName, bucket, key, uploadId, _time.GetUtcNow(), call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind == PachErrorKind.NotAuthorized)
        {
            throw UploadsRepoDenied();
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Bucket, call.BucketName, key);
        }

        UploadsLog.Created(_logger, uploadId, call.BucketName);
        if (S3ChecksumAlgorithms.TryParse(call.Request.Headers["x-amz-checksum-algorithm"].ToString(), out var algorithm))
        {
            call.Response.Headers["x-amz-checksum-algorithm"] = S3ChecksumAlgorithms.WireName(algorithm);
        }

        await S3Results.WriteAsync(call, new InitiateMultipartUploadResult(call.BucketName, key, uploadId)).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams the verified body into the part's file: one ModifyFile that deletes the part's directory (a re-upload
    /// replaces the part) and adds the new file. A body that fails verification cancels the stream: nothing is stored.
    /// </summary>
    public async Task UploadPartAsync(S3Call call)
    {
        var partNumber = S3ListParameters.ParsePartNumber(call.Target.Query.Get("partNumber"));
        var upload = await RequireUploadAsync(call).ConfigureAwait(false);
        var declared = ObjectWrites.DeclaredLength(call);
        if (declared > _options.MaxObjectSize)
        {
            throw new S3Exception(S3Errors.EntityTooLarge)
                .WithDetail("ProposedSize", declared.Value.ToString(CultureInfo.InvariantCulture))
                .WithDetail("MaxSizeAllowed", _options.MaxObjectSize.ToString(CultureInfo.InvariantCulture));
        }

        var path = UploadLayout.PartPath(upload.Directory, partNumber, _time.GetUtcNow(), UploadIds.Nonce());
        try
        {
            await call.Pach.ModifyFileAsync(UploadLayout.Head, async w =>
            {
                await w.DeleteFileAsync(UploadLayout.PartDirectory(upload.Directory, partNumber), call.Aborted).ConfigureAwait(false);
                await w.AddFileAsync(path, call.Body, call.Aborted).ConfigureAwait(false);

                // The body is verified by now; remember its checksum in the same commit (a name, no data).
                if (call.Body is S3VerifyingStream { IsCompleted: true } verified && verified.Checksums.Count > 0)
                {
                    var checksumPath = UploadLayout.ChecksumPath(upload.Directory, partNumber, verified.Checksums[0]);
                    await w.AddFileAsync(checksumPath, ReadOnlyMemory<byte>.Empty, call.Aborted).ConfigureAwait(false);
                }
            }, call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind == PachErrorKind.NotAuthorized)
        {
            throw UploadsRepoDenied();
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Object, call.BucketName, call.Key);
        }
        catch (Exception e) when (FindS3Exception(e) is { } s3 && !ReferenceEquals(s3, e))
        {
            // The body verifier failed inside the client's writer; surface its S3 error, not the wrapper.
            throw s3;
        }

        var info = await InspectPartAsync(call, path).ConfigureAwait(false);
        await ThrowIfEndedAsync(call, upload, partNumber).ConfigureAwait(false);
        call.Response.Headers.ETag = ETag.FromHash(info.Hash);
        EchoChecksums(call);
        call.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// UploadPartCopy. Without <c>x-amz-copy-source-range</c> the part is a pachd CopyFile of the source (no data
    /// through the gateway). pachd's CopyFile has no byte range, so a ranged copy reads the range with GetFile from
    /// its offset and streams it into the part. Either way one ModifyFile, one commit.
    /// </summary>
    public async Task UploadPartCopyAsync(S3Call call)
    {
        var partNumber = S3ListParameters.ParsePartNumber(call.Target.Query.Get("partNumber"));
        var upload = await RequireUploadAsync(call).ConfigureAwait(false);
        var source = await CopySourceResolver.ResolveAsync(call).ConfigureAwait(false);
        var rangeHeader = call.Request.Headers["x-amz-copy-source-range"].ToString();
        ByteRange? range = rangeHeader.Length == 0 ? null : ByteRange.ParseCopySourceRange(rangeHeader, source.Size);
        var length = range?.Length ?? source.Size;
        if (length > _options.MaxObjectSize)
        {
            throw new S3Exception(S3Errors.EntityTooLarge);
        }

        var path = UploadLayout.PartPath(upload.Directory, partNumber, _time.GetUtcNow(), UploadIds.Nonce());
        var partDirectory = UploadLayout.PartDirectory(upload.Directory, partNumber);
        try
        {
            if (range is { } r)
            {
                var data = await call.Pach.GetFileAsync(source.File, r.Start, call.Aborted).ConfigureAwait(false);
                await using var bounded = new BoundedReadStream(data, r.Length);
                await call.Pach.ModifyFileAsync(UploadLayout.Head, async w =>
                {
                    await w.DeleteFileAsync(partDirectory, call.Aborted).ConfigureAwait(false);
                    await w.AddFileAsync(path, bounded, call.Aborted).ConfigureAwait(false);
                }, call.Aborted).ConfigureAwait(false);
            }
            else
            {
                await call.Pach.ModifyFileAsync(UploadLayout.Head, async w =>
                {
                    await w.DeleteFileAsync(partDirectory, call.Aborted).ConfigureAwait(false);
                    await w.CopyFileAsync(path, source.File, append: false, call.Aborted).ConfigureAwait(false);
                }, call.Aborted).ConfigureAwait(false);
            }
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound)
        {
            throw new S3Exception(S3Errors.NoSuchKey) { Key = source.Key };
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Object, source.BucketName, source.Key);
        }

        var info = await InspectPartAsync(call, path).ConfigureAwait(false);
        await ThrowIfEndedAsync(call, upload, partNumber).ConfigureAwait(false);
        if (source.CommitId is { } sourceVersion)
        {
            call.Response.Headers["x-amz-copy-source-version-id"] = sourceVersion;
        }

        await S3Results.WriteAsync(call, new CopyObjectResult
        {
            ETag = ETag.FromHash(info.Hash),
            LastModified = UploadLayout.TryParsePartPath(path, out _, out var uploaded) ? uploaded : _time.GetUtcNow(),
            IsPart = true,
        }).ConfigureAwait(false);
    }

    /// <summary>Removes the upload's directory (parts and manifest) in one commit; NoSuchUpload when unknown.</summary>
    public async Task AbortAsync(S3Call call)
    {
        var upload = await RequireUploadAsync(call).ConfigureAwait(false);
        try
        {
            await UploadStore.DeleteAsync(call.Pach, upload, call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Bucket, call.BucketName, call.Key);
        }

        UploadsLog.Aborted(_logger, upload.UploadId);
        call.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>ListParts in numeric order with part-number-marker / max-parts paging.</summary>
    public async Task ListPartsAsync(S3Call call)
    {
        var query = call.Target.Query;
        var marker = S3ListParameters.ParsePartNumberMarker(query.Get("part-number-marker"));
        var maxParts = S3ListParameters.ParseMaxKeys(query.Get("max-parts"), "max-parts");
        var upload = await RequireUploadAsync(call).ConfigureAwait(false);
        List<StoredPart> parts;
        try
        {
            parts = maxParts == 0 ? [] : await UploadStore.ListPartsAsync(call.Pach, upload, marker, maxParts, call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Bucket, call.BucketName, call.Key);
        }

        var truncated = parts.Count > maxParts;
        if (truncated)
        {
            parts.RemoveRange(maxParts, parts.Count - maxParts);
        }

        await S3Results.WriteAsync(call, new ListPartsResult
        {
            Bucket = call.BucketName,
            Key = call.Key,
            UploadId = upload.UploadId,
            Initiator = S3Results.Owner,
            Owner = S3Results.Owner,
            PartNumberMarker = marker,
            NextPartNumberMarker = parts.Count > 0 ? parts[^1].Number : 0,
            MaxParts = maxParts,
            IsTruncated = truncated,
            Parts = parts.Select(p => new S3PartEntry(p.Number, p.Uploaded, p.ETag, p.Size) { Checksums = p.Checksum is { } c ? [c] : null }).ToList(),
        }).ConfigureAwait(false);
    }

    /// <summary>The upload named by <c>uploadId</c> for this bucket and key, else NoSuchUpload (404).</summary>
    internal static async Task<UploadInfo> RequireUploadAsync(S3Call call)
    {
        var uploadId = call.Target.Query.Get("uploadId") ?? string.Empty;
        UploadInfo? upload;
        try
        {
            upload = await UploadStore.FindAsync(call.Pach, call.RequiredBucket, call.Key, uploadId, call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Bucket, call.BucketName, call.Key);
        }

        return upload ?? throw NoSuchUpload(uploadId);
    }

    /// <summary>
    /// AccessDenied that says why: under pachd auth the uploads repo belongs to whoever created it, and other
    /// callers need write access to it granted by an admin.
    /// </summary>
    internal static S3Exception UploadsRepoDenied() =>
        new(S3Errors.AccessDenied, $"Multipart uploads need write access to the Pachyderm repo {UploadLayout.RepoName} (project default); ask a Pachyderm admin to grant it.");

    /// <summary>NoSuchUpload naming the id.</summary>
    internal static S3Exception NoSuchUpload(string uploadId) =>
        new S3Exception(S3Errors.NoSuchUpload).WithDetail("UploadId", uploadId);

    internal static void ValidateKey(string key)
    {
        if (ObjectKey.Validate(key) is { } why)
        {
            throw S3Exception.InvalidArgument(why, "key", key);
        }

        if (ObjectKey.IsDirectoryKey(key))
        {
            throw S3Exception.InvalidArgument("A key ending in '/' is a directory in Pachyderm and cannot hold data.", "key", key);
        }
    }

    internal static S3Exception? FindS3Exception(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is S3Exception s3)
            {
                return s3;
            }
        }

        return e is AggregateException agg ? agg.Flatten().InnerExceptions.OfType<S3Exception>().FirstOrDefault() : null;
    }

    private static async Task<Gateway.Pachyderm.Protos.Pfs.FileInfo> InspectPartAsync(S3Call call, string path)
    {
        try
        {
            return await call.Pach.InspectFileAsync(new FileRef(UploadLayout.Head, path), call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound)
        {
            // A concurrent Complete/Abort removed the upload (or a newer write of the same part replaced this one).
            throw NoSuchUpload(call.Target.Query.Get("uploadId") ?? string.Empty);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Bucket, call.BucketName, call.Key);
        }
    }

    /// <summary>
    /// A part written while a concurrent Complete or Abort removed the upload would otherwise stay behind in the
    /// uploads repo forever: look again, and remove the part (and answer NoSuchUpload) when the upload is gone.
    /// </summary>
    private async Task ThrowIfEndedAsync(S3Call call, UploadInfo upload, int partNumber)
    {
        var still = await UploadStore.FindAsync(call.Pach, upload.Bucket, upload.Key, upload.UploadId, call.Aborted).ConfigureAwait(false);
        if (still is not null)
        {
            return;
        }

        await call.Pach.ModifyFileAsync(UploadLayout.Head, w => w.DeleteFileAsync(upload.Directory, call.Aborted), call.Aborted).ConfigureAwait(false);
        UploadsLog.LatePartRemoved(_logger, partNumber, upload.UploadId);
        throw NoSuchUpload(upload.UploadId);
    }

    /// <summary>Echoes the checksums the part's body was verified against, as S3 does for UploadPart.</summary>
    private static void EchoChecksums(S3Call call)
    {
        if (call.Body is S3VerifyingStream { IsCompleted: true } verified && verified.Checksums.Count > 0)
        {
            foreach (var checksum in verified.Checksums)
            {
                call.Response.Headers[checksum.HeaderName] = checksum.Base64;
            }

            return;
        }

        foreach (var (name, value) in call.Request.Headers)
        {
            if (name.StartsWith(_checksumHeaderPrefix, StringComparison.OrdinalIgnoreCase) && !name.Equals("x-amz-checksum-type", StringComparison.OrdinalIgnoreCase))
            {
                call.Response.Headers[name.ToLowerInvariant()] = value;
            }
        }
    }
}
