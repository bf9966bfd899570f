using Gateway.Core.Copy;
using Gateway.Core.Objects;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Xml.Documents;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Uploads;

/// <summary>
/// UploadPartCopy. Without <c>x-amz-copy-source-range</c> the part is a pachd CopyFile of the source (no data through
/// the gateway). pachd's CopyFile has no byte range, so a ranged copy reads the range with GetFile from its offset and
/// streams it into the part. Either way one ModifyFile, one commit (<see cref="PartOperation"/>).
/// </summary>
internal sealed class UploadPartCopyOperation(long maxObjectSize, TimeProvider time, ILogger logger) : PartOperation(maxObjectSize, time, logger)
{
    protected override async Task<S3Response> StoreAsync(S3Call call, UploadInfo upload, int partNumber)
    {
        var source = await CopySourceResolver.ResolveAsync(call).ConfigureAwait(false);
        var rangeHeader = call.Request.Headers["x-amz-copy-source-range"].ToString();
        var range = rangeHeader.Length == 0 ? null : (ByteRange?)ByteRange.ParseCopySourceRange(rangeHeader, source.Object.Size);
        var length = range?.Length ?? source.Object.Size;
        if (length > MaxObjectSize)
        {
            throw ObjectUpload.TooLarge(length, MaxObjectSize);
        }

        var now = Time.GetUtcNow();
        StoredPartFile stored;
        try
        {
            if (range is { } r)
            {
                var data = await call.Pach.GetFileAsync(source.Object.File, r.Start, call.Aborted).ConfigureAwait(false);
                await using var bounded = new BoundedReadStream(data, r.Length);
                stored = await WriteAsync(call, upload, partNumber, now, (w, path) => w.AddFileAsync(path, bounded, call.Aborted)).ConfigureAwait(false);
            }
            else
            {
                stored = await WriteAsync(call, upload, partNumber, now, (w, path) => w.CopyFileAsync(path, source.Object.File, append: false, call.Aborted)).ConfigureAwait(false);
            }
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound)
        {
            // The source vanished between inspection and copy (its commit is pinned, so only a squashed commit).
            throw new S3Exception(S3Errors.NoSuchKey) { Key = source.Address.Key };
        }

        return S3Response.Xml(new CopyObjectResult
        {
            ETag = ETag.FromHash(stored.Info.Hash),
            LastModified = UploadLayout.TryParsePartPath(stored.Path, out _, out var uploaded) ? uploaded : now,
            IsPart = true,
        }).WithHeader("x-amz-copy-source-version-id", source.Object.VersionId);
    }
}
