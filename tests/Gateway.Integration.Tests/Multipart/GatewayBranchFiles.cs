using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;

namespace Gateway.Integration.Tests.Multipart;

/// <summary>Looks into a bucket's gateway branch (<c>_s3gateway_&lt;branch&gt;</c>, where uploads live) straight through pachd.</summary>
internal static class GatewayBranchFiles
{
    /// <summary>The gateway branch of bucket <paramref name="bucket"/> (<c>branch.repo</c> or <c>repo</c>).</summary>
    public static BranchRef Of(string bucket)
    {
        var parts = bucket.Split('.');
        return parts.Length == 1
            ? new BranchRef(RepoRef.InDefault(parts[0]), "_s3gateway_master")
            : new BranchRef(RepoRef.InDefault(parts[1]), "_s3gateway_" + parts[0]);
    }

    /// <summary>Every file on the bucket's gateway branch whose path mentions <paramref name="uploadId"/>.</summary>
    public static async Task<List<string>> FilesOfAsync(IPachClient pach, string bucket, string uploadId)
    {
        var files = new List<string>();
        try
        {
            await foreach (var info in pach.GlobFileAsync(Of(bucket).Head, "/**"))
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
            // No gateway branch: nothing of any upload.
        }

        return files;
    }

    /// <summary>
    /// What a completed upload leaves: its receipt alone (<c>…/&lt;uploadId&gt;/completed-&lt;ms&gt;</c>, which answers a
    /// retried Complete), no part and no manifest.
    /// </summary>
    public static async Task AssertOnlyReceiptLeftAsync(IPachClient pach, string bucket, string uploadId)
    {
        var files = await FilesOfAsync(pach, bucket, uploadId);
        var file = Assert.Single(files);
        Assert.Matches($"/{uploadId}/completed-[0-9]{{13}}$", file);
    }
}
