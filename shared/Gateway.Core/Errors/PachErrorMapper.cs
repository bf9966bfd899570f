using Gateway.Pachyderm;
using Gateway.S3.Errors;

namespace Gateway.Core.Errors;

/// <summary>What a request addressed, which decides how a pachd error reads in S3 terms.</summary>
/// <param name="Bucket">The bucket as the client named it.</param>
/// <param name="Key">The key as sent.</param>
/// <param name="VersionId">The version asked for (a commit id), if any.</param>
internal readonly record struct PachErrorContext(string? Bucket, string? Key, string? VersionId);

/// <summary>
/// The one place where pachd errors become S3 errors (called by the pipeline's error boundary). pachd's own text
/// never reaches the client: it can name internal ids and principals, so each S3 error carries a message of ours.
/// Lookups decide their own not-found answers (<see cref="Objects.ObjectLookup"/>); this covers everything else.
/// A pachd that cannot be reached or did not answer in time (the client's deadline, idle or connect timeout) is
/// ServiceUnavailable with Retry-After, as is a commit still being finished: both pass, so the client should retry.
/// </summary>
internal static class PachErrorMapper
{
    /// <summary>The Retry-After of a 503 when the caller does not say: 1 second.</summary>
    public const int DefaultRetryAfterSeconds = 1;

    /// <summary>Maps <paramref name="error"/> to the S3 error a client should see.</summary>
    public static S3Exception Map(PachException error, PachErrorContext context, int retryAfterSeconds = DefaultRetryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Kind switch
        {
            PachErrorKind.RepoNotFound or PachErrorKind.BranchNotFound or PachErrorKind.ProjectNotFound =>
                new S3Exception(S3Errors.NoSuchBucket) { BucketName = context.Bucket },
            PachErrorKind.FileNotFound or PachErrorKind.NotAFile =>
                new S3Exception(S3Errors.NoSuchKey) { Key = context.Key },
            PachErrorKind.CommitNotFound => context.VersionId is { } version
                ? new S3Exception(S3Errors.NoSuchVersion) { Key = context.Key }.WithDetail("VersionId", version)
                : new S3Exception(S3Errors.NoSuchBucket, "The bucket's commit does not exist.") { BucketName = context.Bucket },
            PachErrorKind.NotAuthorized => new S3Exception(S3Errors.AccessDenied),
            PachErrorKind.NoToken => new S3Exception(S3Errors.AccessDenied, "This Pachyderm cluster requires a token: sign the request with the token as access key and secret key."),
            PachErrorKind.BadToken => new S3Exception(S3Errors.InvalidAccessKeyId, "The Pachyderm token used as access key is unknown or has expired."),
            PachErrorKind.InvalidName => new S3Exception(S3Errors.InvalidBucketName) { BucketName = context.Bucket },
            PachErrorKind.InvalidPath => new S3Exception(S3Errors.InvalidArgument, "Pachyderm cannot store a file at this key.") { Key = context.Key },
            PachErrorKind.CommitFinished => new S3Exception(S3Errors.InvalidRequest, "This bucket is pinned to a finished commit and cannot be written to."),
            PachErrorKind.OutputBranch => new S3Exception(S3Errors.InvalidRequest, "This bucket is a pipeline output branch and cannot be written to."),
            PachErrorKind.CommitNotFinished => RetryLater.ServiceUnavailable("The commit is still being finished; retry shortly.", retryAfterSeconds),
            PachErrorKind.Unavailable => RetryLater.ServiceUnavailable("The Pachyderm server did not answer in time or cannot be reached; retry shortly.", retryAfterSeconds),
            PachErrorKind.AlreadyExists => new S3Exception(S3Errors.BucketAlreadyOwnedByYou) { BucketName = context.Bucket },
            PachErrorKind.AuthNotActive => new S3Exception(S3Errors.InvalidRequest, "Authentication is not active on this Pachyderm cluster."),
            PachErrorKind.InvalidArgument => new S3Exception(S3Errors.InvalidArgument, "Pachyderm rejected the request as invalid."),
            _ => new S3Exception(S3Errors.InternalError),
        };
    }
}
