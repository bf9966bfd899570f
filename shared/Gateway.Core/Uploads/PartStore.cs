using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Microsoft.Extensions.Logging;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Uploads;

/// <summary>
/// Stores one part of an upload, for UploadPart and UploadPartCopy alike: one ModifyFile (one commit) that replaces
/// the part's directory with the new part file, then a check that the upload still exists.
/// </summary>
internal static class PartStore
{
    /// <summary>
    /// Writes part <paramref name="partNumber"/> with <paramref name="write"/> (given the writer and the part file's
    /// path) and returns the stored file. NoSuchUpload when a concurrent Complete or Abort ended the upload meanwhile.
    /// </summary>
    public static async Task<StoredPartFile> WriteAsync(IPachClient pach, UploadInfo upload, int partNumber, DateTimeOffset now,
        Func<IModifyFileWriter, string, Task> write, ILogger logger, CancellationToken cancellationToken)
    {
        var path = UploadLayout.PartPath(upload.Directory, partNumber, now, UploadIds.Nonce());
        await UploadStore.ModifyAsync(pach, async w =>
        {
            await w.DeleteFileAsync(UploadLayout.PartDirectory(upload.Directory, partNumber), cancellationToken).ConfigureAwait(false);
            await write(w, path).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        FileInfo info;
        try
        {
            info = await pach.InspectFileAsync(new FileRef(UploadLayout.Head, path), cancellationToken).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound)
        {
            // A concurrent Complete/Abort removed the upload (or a newer write of the same part replaced this one).
            throw UploadStore.NoSuchUpload(upload.UploadId);
        }

        await ThrowIfEndedAsync(pach, upload, partNumber, logger, cancellationToken).ConfigureAwait(false);
        return new StoredPartFile(path, info);
    }

    /// <summary>
    /// A part written while a concurrent Complete or Abort removed the upload would otherwise stay behind in the
    /// uploads repo forever: look again, and remove the part (and answer NoSuchUpload) when the upload is gone.
    /// </summary>
    private static async Task ThrowIfEndedAsync(IPachClient pach, UploadInfo upload, int partNumber, ILogger logger, CancellationToken cancellationToken)
    {
        if (await UploadStore.FindAsync(pach, upload.Bucket, upload.Key, upload.UploadId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        await UploadStore.DeleteAsync(pach, upload, cancellationToken).ConfigureAwait(false);
        UploadsLog.LatePartRemoved(logger, partNumber, upload.UploadId);
        throw UploadStore.NoSuchUpload(upload.UploadId);
    }
}

/// <summary>A part file as stored: its path in the uploads repo and pachd's description of it.</summary>
internal sealed record StoredPartFile(string Path, FileInfo Info);
