using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Http;
using Microsoft.Extensions.Logging;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Uploads;

/// <summary>
/// What UploadPart and UploadPartCopy share: the part number and the upload are checked before anything is read,
/// and a part is stored in one ModifyFile (one commit) that replaces the part's directory with the new part file,
/// followed by a check that the upload still exists.
/// </summary>
internal abstract class PartOperation : IGatewayOperation
{
    protected PartOperation(long maxObjectSize, TimeProvider time, UploadExpiry expiry, ILogger logger)
    {
        MaxObjectSize = maxObjectSize;
        Time = time;
        Expiry = expiry;
        Logger = logger;
    }

    /// <summary>The largest part in bytes.</summary>
    protected long MaxObjectSize { get; }

    protected TimeProvider Time { get; }

    /// <summary>When uploads expire.</summary>
    protected UploadExpiry Expiry { get; }

    protected ILogger Logger { get; }

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var partNumber = S3ListParameters.ParsePartNumber(call.Target.Query.Get("partNumber"));
        var upload = await UploadStore.RequireAsync(call, Expiry).ConfigureAwait(false);
        return await StoreAsync(call, upload, partNumber).ConfigureAwait(false);
    }

    /// <summary>Stores part <paramref name="partNumber"/> of <paramref name="upload"/> and answers.</summary>
    protected abstract Task<S3Response> StoreAsync(S3Call call, UploadInfo upload, int partNumber);

    /// <summary>
    /// Writes the part with <paramref name="write"/> (given the writer and the part file's path) and returns the stored
    /// file. NoSuchUpload when a concurrent Complete or Abort ended the upload meanwhile.
    /// </summary>
    protected async Task<StoredPartFile> WriteAsync(S3Call call, UploadInfo upload, int partNumber, DateTimeOffset now, Func<IModifyFileWriter, string, Task> write)
    {
        var pach = call.Pach;
        var path = UploadLayout.PartPath(upload.Directory, partNumber, now, UploadIds.Nonce());
        await UploadStore.ModifyAsync(pach, upload.Bucket, async w =>
        {
            await w.DeleteFileAsync(UploadLayout.PartDirectory(upload.Directory, partNumber), call.Aborted).ConfigureAwait(false);
            await write(w, path).ConfigureAwait(false);
        }, call.Aborted).ConfigureAwait(false);

        FileInfo info;
        try
        {
            info = await pach.InspectFileAsync(new FileRef(UploadLayout.Head(upload.Bucket), path), call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound)
        {
            // A concurrent Complete/Abort removed the upload (or a newer write of the same part replaced this one).
            throw UploadStore.NoSuchUpload(upload.UploadId);
        }

        await ThrowIfEndedAsync(pach, upload, partNumber, call.Aborted).ConfigureAwait(false);
        return new StoredPartFile(path, info);
    }

    /// <summary>
    /// A part written while a concurrent Complete or Abort removed the upload would otherwise stay behind in the
    /// uploads repo forever: look again, and remove the parts (and answer NoSuchUpload) when the upload is gone. Only
    /// the parts go: a completed upload's receipt stays.
    /// </summary>
    private async Task ThrowIfEndedAsync(IPachClient pach, UploadInfo upload, int partNumber, CancellationToken cancellationToken)
    {
        if (await UploadStore.FindAsync(pach, upload.Bucket, upload.Key, upload.UploadId, Expiry, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        await UploadStore.DeletePartsAsync(pach, upload, cancellationToken).ConfigureAwait(false);
        UploadsLog.LatePartRemoved(Logger, partNumber, upload.UploadId);
        throw UploadStore.NoSuchUpload(upload.UploadId);
    }
}

/// <summary>A part file as stored: its path in the uploads repo and pachd's description of it.</summary>
internal sealed record StoredPartFile(string Path, FileInfo Info);
