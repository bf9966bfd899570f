using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;

namespace Gateway.Core.Objects;

/// <summary>An object version as a request names it: the bucket (as named and as parsed), the key and the version.</summary>
/// <param name="BucketName">The bucket as the client named it (for error documents).</param>
/// <param name="Bucket">The bucket.</param>
/// <param name="Key">The key as sent.</param>
/// <param name="VersionId">The version asked for (a commit id), or null for the bucket's current one.</param>
internal sealed record ObjectAddress(string BucketName, BucketAddress Bucket, string Key, string? VersionId)
{
    /// <summary>The object the request targets: its bucket, key and <c>versionId</c>.</summary>
    public static ObjectAddress Of(S3Call call) => new(call.BucketName, call.RequiredBucket, call.Key, call.VersionId);

    /// <summary>The commit a read uses: the version asked for, else the bucket's (pinned commit or branch head).</summary>
    public CommitRef Commit => VersionId is null ? Bucket.ReadCommit : CommitRef.ById(Bucket.RepoRef, VersionId);

    /// <summary>The key's PFS path.</summary>
    public string Path => ObjectKey.ToPath(Key);
}
