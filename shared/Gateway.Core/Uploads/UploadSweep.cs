using Gateway.Core.Naming;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;

namespace Gateway.Core.Uploads;

/// <summary>
/// Finds the expired entries of a bucket's uploads directory (abandoned uploads and old receipts,
/// <see cref="UploadExpiry"/>): one glob over the upload directories' top entries, no file read. The caller deletes
/// them in the commit it is about to make anyway. The same turn starts a background squash of the gateway branch's
/// settled history (<see cref="HistoryTrimmer"/>), which takes the bytes of removed uploads out of pachd.
/// </summary>
internal static class UploadSweep
{
    /// <summary>Most directories removed by one sweep; the rest go with the next.</summary>
    public const int MaxPerSweep = 1_000;

    /// <summary>
    /// The directories to remove from <paramref name="bucket"/>'s uploads when it is this instance's turn to sweep
    /// that bucket; none otherwise (or when nothing is expired). <paramref name="keep"/> is never returned.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DueAsync(IPachClient pach, BucketAddress bucket, UploadExpiry expiry, string? keep, CancellationToken cancellationToken)
    {
        if (!expiry.TakeSweepTurn(bucket))
        {
            return [];
        }

        _ = expiry.Trimmer?.StartAsync(pach, bucket);
        if (!expiry.Expires)
        {
            return [];
        }

        var expired = new List<string>();
        try
        {
            await foreach (var info in pach.GlobFileAsync(UploadLayout.Head(bucket), UploadLayout.UploadEntriesGlob, null, cancellationToken).ConfigureAwait(false))
            {
                if (info.FileType == FileType.File
                    && UploadLayout.TryParseDatedEntry(info.File?.Path ?? string.Empty, out var directory, out var since)
                    && expiry.IsExpired(since)
                    && directory != keep
                    && (expired.Count == 0 || expired[^1] != directory))
                {
                    expired.Add(directory);
                    if (expired.Count == MaxPerSweep)
                    {
                        break;
                    }
                }
            }
        }
        catch (PachException e) when (e.Kind is PachErrorKind.BranchNotFound or PachErrorKind.FileNotFound)
        {
            // No gateway branch or no uploads directory yet.
        }

        return expired;
    }
}
