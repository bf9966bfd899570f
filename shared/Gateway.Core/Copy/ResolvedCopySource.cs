using Gateway.Core.Naming;
using Gateway.Pachyderm;

namespace Gateway.Core.Copy;

/// <summary>The version of a file a copy reads.</summary>
/// <param name="BucketName">The source bucket as the client named it.</param>
/// <param name="Bucket">The source bucket.</param>
/// <param name="Key">The source key.</param>
/// <param name="File">The file pinned to the commit that was inspected.</param>
/// <param name="Size">Bytes.</param>
/// <param name="ETag">The source's quoted ETag.</param>
/// <param name="LastModified">The source's Last-Modified.</param>
/// <param name="CommitId">The source commit (x-amz-copy-source-version-id), when pachd named it.</param>
/// <param name="Versioned">Whether the client asked for a specific version.</param>
internal sealed record ResolvedCopySource(
    string BucketName,
    BucketAddress Bucket,
    string Key,
    FileRef File,
    long Size,
    string ETag,
    DateTimeOffset LastModified,
    string? CommitId,
    bool Versioned);
