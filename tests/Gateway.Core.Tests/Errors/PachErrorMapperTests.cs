using Gateway.Core.Errors;
using Gateway.Pachyderm;
using Grpc.Core;

namespace Gateway.Core.Tests.Errors;

public sealed class PachErrorMapperTests
{
    [Theory]
    [InlineData(PachErrorKind.RepoNotFound, (int)PachErrorMapper.Target.Object, "NoSuchBucket", 404)]
    [InlineData(PachErrorKind.BranchNotFound, (int)PachErrorMapper.Target.Bucket, "NoSuchBucket", 404)]
    [InlineData(PachErrorKind.ProjectNotFound, (int)PachErrorMapper.Target.Object, "NoSuchBucket", 404)]
    [InlineData(PachErrorKind.FileNotFound, (int)PachErrorMapper.Target.Object, "NoSuchKey", 404)]
    [InlineData(PachErrorKind.CommitNotFound, (int)PachErrorMapper.Target.Version, "NoSuchVersion", 404)]
    [InlineData(PachErrorKind.CommitNotFound, (int)PachErrorMapper.Target.Object, "NoSuchBucket", 404)]
    [InlineData(PachErrorKind.NotAuthorized, (int)PachErrorMapper.Target.Object, "AccessDenied", 403)]
    [InlineData(PachErrorKind.NoToken, (int)PachErrorMapper.Target.Object, "AccessDenied", 403)]
    [InlineData(PachErrorKind.BadToken, (int)PachErrorMapper.Target.Object, "InvalidAccessKeyId", 403)]
    [InlineData(PachErrorKind.InvalidName, (int)PachErrorMapper.Target.Bucket, "InvalidBucketName", 400)]
    [InlineData(PachErrorKind.InvalidPath, (int)PachErrorMapper.Target.Object, "InvalidArgument", 400)]
    [InlineData(PachErrorKind.CommitFinished, (int)PachErrorMapper.Target.Object, "InvalidRequest", 400)]
    [InlineData(PachErrorKind.OutputBranch, (int)PachErrorMapper.Target.Object, "InvalidRequest", 400)]
    [InlineData(PachErrorKind.Unavailable, (int)PachErrorMapper.Target.Object, "ServiceUnavailable", 503)]
    [InlineData(PachErrorKind.CommitNotFinished, (int)PachErrorMapper.Target.Object, "ServiceUnavailable", 503)]
    [InlineData(PachErrorKind.Unknown, (int)PachErrorMapper.Target.Object, "InternalError", 500)]
    public void Map_Kind_S3Error(PachErrorKind kind, int target, string code, int status)
    {
        var error = PachErrorMapper.Map(new PachException(kind, StatusCode.Unknown, "secret internal text user:alice"), (PachErrorMapper.Target)target);
        Assert.Equal(code, error.Error.Code);
        Assert.Equal(status, error.Error.StatusCode);
        Assert.DoesNotContain("alice", error.Message, StringComparison.Ordinal);
    }
}
