using Gateway.Pachyderm;
using Gateway.S3.Errors;

namespace Gateway.Core.Errors;

/// <summary>
/// The one place where pachd errors become S3 errors. pachd's own text never reaches the client: it can name
/// internal ids and principals, so each S3 error carries a message of ours.
/// </summary>
internal static class PachErrorMapper
{
    /// <summary>What the operation was addressing, so that NOT_FOUND can be told apart.</summary>
    public enum Target
    {
        /// <summary>A bucket-level call (a missing file still means an empty bucket here).</summary>
        Bucket,

        /// <summary>An object-level call.</summary>
        Object,

        /// <summary>A read at an explicit version (versionId or commit-pinned bucket).</summary>
        Version,
    }

    /// <summary>Maps <paramref name="error"/> to the S3 error a client should see.</summary>
    public static S3Exception Map(PachException error, Target target = Target.Object, string? bucket = null, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Kind switch
        {
            PachErrorKind.RepoNotFound or PachErrorKind.BranchNotFound or PachErrorKind.ProjectNotFound =>
                new S3Exception(S3Errors.NoSuchBucket) { BucketName = bucket },
            PachErrorKind.FileNotFound or PachErrorKind.NotAFile =>
                new S3Exception(S3Errors.NoSuchKey) { Key = key },
            PachErrorKind.CommitNotFound => target == Target.Version
                ? new S3Exception(S3Errors.NoSuchVersion)
                : new S3Exception(S3Errors.NoSuchBucket, "The bucket's commit does not exist.") { BucketName = bucket },
            PachErrorKind.NotAuthorized => new S3Exception(S3Errors.AccessDenied),
            PachErrorKind.NoToken => new S3Exception(S3Errors.AccessDenied, "This Pachyderm cluster requires a token: sign the request with the token as access key and secret key."),
            PachErrorKind.BadToken => new S3Exception(S3Errors.InvalidAccessKeyId, "The Pachyderm token used as access key is unknown or has expired."),
            PachErrorKind.InvalidName => new S3Exception(S3Errors.InvalidBucketName) { BucketName = bucket },
            PachErrorKind.InvalidPath => new S3Exception(S3Errors.InvalidArgument, "Pachyderm cannot store a file at this key.") { Key = key },
            PachErrorKind.CommitFinished => new S3Exception(S3Errors.InvalidRequest, "This bucket is pinned to a finished commit and cannot be written to."),
            PachErrorKind.OutputBranch => new S3Exception(S3Errors.InvalidRequest, "This bucket is a pipeline output branch and cannot be written to."),
            PachErrorKind.CommitNotFinished => new S3Exception(S3Errors.ServiceUnavailable, "The commit is still being finished; retry shortly."),
            PachErrorKind.Unavailable => new S3Exception(S3Errors.ServiceUnavailable, "The Pachyderm server cannot be reached."),
            PachErrorKind.AlreadyExists => new S3Exception(S3Errors.BucketAlreadyOwnedByYou) { BucketName = bucket },
            PachErrorKind.AuthNotActive => new S3Exception(S3Errors.InvalidRequest, "Authentication is not active on this Pachyderm cluster."),
            PachErrorKind.InvalidArgument => new S3Exception(S3Errors.InvalidArgument, "Pachyderm rejected the request as invalid."),
            _ => new S3Exception(S3Errors.InternalError),
        };
    }
}
