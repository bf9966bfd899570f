using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;

namespace Gateway.Integration.Tests.Multipart;

/// <summary>Looks into the gateway's internal uploads repo straight through pachd.</summary>
internal static class UploadsRepo
{
    public const string Name = "_s3gateway_uploads";

    /// <summary>Every file in the uploads repo whose path mentions <paramref name="uploadId"/>.</summary>
    public static async Task<List<string>> FilesOfAsync(IPachClient pach, string uploadId)
    {
        var files = new List<string>();
        try
        {
            await foreach (var info in pach.GlobFileAsync(new CommitRef(RepoRef.InDefault(Name), "master", null), "/**"))
            {
                var path = info.File?.Path ?? string.Empty;
                if (info.FileType == FileType.File && path.Contains(uploadId, StringComparison.Ordinal))
                {
                    files.Add(path);
                }
            }
        }
        catch (PachException e) when (e.Kind is PachErrorKind.RepoNotFound or PachErrorKind.BranchNotFound)
        {
            // No uploads repo: nothing of any upload.
        }

        return files;
    }
}
