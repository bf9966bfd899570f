using Gateway.Pachyderm.Protos.Pfs;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Pachyderm;

/// <summary>
/// One file that differs between two commits (pfs_v2.DiffFileResponse): <see cref="New"/> is null when the file exists
/// only in the old commit (deleted), <see cref="Old"/> is null when it exists only in the new commit (added); both are set
/// when its content changed.
/// </summary>
public sealed record FileDiff(FileInfo? New, FileInfo? Old)
{
    /// <summary>The file's full path (the same on both sides).</summary>
    public string Path => (New ?? Old)?.File?.Path ?? string.Empty;

    /// <summary>
    /// The diff a response carries, or null for the directory entries pachd 2.x also streams (every directory whose
    /// contents differ, "/" included).
    /// </summary>
    internal static FileDiff? FromResponse(DiffFileResponse response) =>
        response.NewFile?.FileType == FileType.File || response.OldFile?.FileType == FileType.File
            ? new FileDiff(response.NewFile, response.OldFile)
            : null;
}
