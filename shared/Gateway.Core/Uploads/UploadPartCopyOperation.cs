using Gateway.Core.Copy;
using Gateway.Core.Objects;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3.Body;
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
internal sealed class UploadPartCopyOperation(long maxObjectSize, TimeProvider time, UploadExpiry expiry, ILogger logger) : PartOperation(maxObjectSize, time, expiry, logger)
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
        byte[]? md5;
        try
        {
            if (range is { } r)
            {
                // The range passes through the gateway: hash it on the way, for the part's MD5 ETag.
                var data = await call.Pach.GetFileAsync(source.Object.File, r.Start, call.Aborted).ConfigureAwait(false);
                await using var hashed = new S3VerifyingStream(new BoundedReadStream(data, r.Length), new S3BodyExpectations { ComputeMd5 = true }, leaveOpen: false);
                stored = await WriteAsync(call, upload, partNumber, now, async (w, path) =>
                {
                    await w.AddFileAsync(path, hashed, call.Aborted).ConfigureAwait(false);
                    await AddMd5Async(w, upload, partNumber, hashed.Md5?.ToArray(), call.Aborted).ConfigureAwait(false);
                }).ConfigureAwait(false);
                md5 = hashed.Md5?.ToArray();
            }
            else
            {
                // A whole copy never leaves pachd; its MD5 is the source's when the source has a single-part MD5 ETag.
                md5 = ETags.TryParseMd5(source.Object.Record?.ETag);
                stored = await WriteAsync(call, upload, partNumber, now, async (w, path) =>
                {
                    await w.CopyFileAsync(path, source.Object.File, append: false, call.Aborted).ConfigureAwait(false);
                    await AddMd5Async(w, upload, partNumber, md5, call.Aborted).ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound)
        {
            // The source vanished between inspection and copy (its commit is pinned, so only a squashed commit).
            throw new S3Exception(S3Errors.NoSuchKey) { Key = source.Address.Key };
        }

        return S3Response.Xml(new CopyObjectResult
        {
            ETag = md5 is null ? ETag.FromHash(stored.Info.Hash) : ETags.FromMd5(md5),
            LastModified = UploadLayout.TryParsePartPath(stored.Path, out _, out var uploaded) ? uploaded : now,
            IsPart = true,
        }).WithHeader("x-amz-copy-source-version-id", source.Object.VersionId);
    }

    private static Task AddMd5Async(IModifyFileWriter writer, UploadInfo upload, int partNumber, byte[]? md5, CancellationToken cancellationToken) =>
        md5 is null ? Task.CompletedTask : writer.AddFileAsync(UploadLayout.Md5Path(upload.Directory, partNumber, md5), ReadOnlyMemory<byte>.Empty, cancellationToken);
}
