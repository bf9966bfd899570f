using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Objects;

/// <summary>An object version found in PFS, with the gateway's record of it when it has one.</summary>
/// <param name="File">The file, pinned to the commit that was inspected (reads and copies use exactly this version).</param>
/// <param name="Size">Bytes.</param>
/// <param name="ContentETag">The content-derived ETag (what the object answers without a record).</param>
/// <param name="LastModified">When its commit finished (null for a file of an open commit).</param>
/// <param name="VersionId">The commit that holds it (as pachd named it, else the commit asked for), if known.</param>
/// <param name="Hash">pachd's hash of the content, lower-case hex (what a stored record must name).</param>
internal sealed record StoredObject(FileRef File, long Size, string ContentETag, DateTimeOffset? LastModified, string? VersionId, string Hash)
{
    /// <summary>The gateway's record of this content (ETag, metadata, tags...), when it has one.</summary>
    public Metadata.ObjectRecord? Record { get; init; }

    /// <summary>The ETag clients see: the recorded one (an MD5), else the content-derived one.</summary>
    public string ETag => Record?.ETag ?? ContentETag;

    /// <summary>The object <paramref name="info"/> describes, found at <paramref name="commit"/>.</summary>
    public static StoredObject From(FileInfo info, CommitRef commit, string path)
    {
        var version = info.File?.Commit?.Id is { Length: > 0 } id ? id : commit.Id;
        var pinned = version is null ? commit : CommitRef.ById(commit.Repo, version);
        return new StoredObject(new FileRef(pinned, path), info.SizeBytes, Objects.ETag.FromHash(info.Hash), info.Committed?.ToDateTimeOffset(), version, Convert.ToHexStringLower(info.Hash.Span));
    }

    /// <summary>True when <paramref name="info"/> is a file (PFS directories are never objects).</summary>
    public static bool IsObject(FileInfo info) => info.FileType == FileType.File;
}
