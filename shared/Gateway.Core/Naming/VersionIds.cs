using Gateway.S3.Errors;

namespace Gateway.Core.Naming;

/// <summary>S3 version ids, which are Pachyderm commit ids here.</summary>
internal static class VersionIds
{
    /// <summary>
    /// The commit a client-sent version id names, or null when it names none: absent, empty, or <c>null</c>
    /// (the id S3 gives objects written while versioning was off).
    /// </summary>
    public static string? Normalize(string? versionId) => string.IsNullOrEmpty(versionId) || versionId == "null" ? null : versionId;

    /// <summary>S3's answer to a version id that cannot be one (here: anything but a commit id).</summary>
    public static void Require(string versionId)
    {
        if (!BucketName.IsCommitId(versionId))
        {
            throw S3Exception.InvalidArgument("Invalid version id specified", "versionId", versionId);
        }
    }
}
