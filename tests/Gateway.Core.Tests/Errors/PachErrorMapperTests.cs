using Gateway.Core.Errors;
using Gateway.Pachyderm;
using Grpc.Core;

namespace Gateway.Core.Tests.Errors;

public sealed class PachErrorMapperTests
{
    [Theory]
    [InlineData(PachErrorKind.RepoNotFound, null, "NoSuchBucket", 404)]
    [InlineData(PachErrorKind.BranchNotFound, null, "NoSuchBucket", 404)]
    [InlineData(PachErrorKind.ProjectNotFound, null, "NoSuchBucket", 404)]
    [InlineData(PachErrorKind.FileNotFound, null, "NoSuchKey", 404)]
    [InlineData(PachErrorKind.CommitNotFound, "0123456789ab4def0123456789abcdef", "NoSuchVersion", 404)]
    [InlineData(PachErrorKind.CommitNotFound, null, "NoSuchBucket", 404)]
    [InlineData(PachErrorKind.NotAuthorized, null, "AccessDenied", 403)]
    [InlineData(PachErrorKind.NoToken, null, "AccessDenied", 403)]
    [InlineData(PachErrorKind.BadToken, null, "InvalidAccessKeyId", 403)]
    [InlineData(PachErrorKind.InvalidName, null, "InvalidBucketName", 400)]
    [InlineData(PachErrorKind.InvalidPath, null, "InvalidArgument", 400)]
    [InlineData(PachErrorKind.CommitFinished, null, "InvalidRequest", 400)]
    [InlineData(PachErrorKind.OutputBranch, null, "InvalidRequest", 400)]
    [InlineData(PachErrorKind.Unavailable, null, "ServiceUnavailable", 503)]
    [InlineData(PachErrorKind.CommitNotFinished, null, "ServiceUnavailable", 503)]
    [InlineData(PachErrorKind.Unknown, null, "InternalError", 500)]
    public void Map_Kind_S3ErrorWithoutPachdText(PachErrorKind kind, string? versionId, string code, int status)
    {
        var error = PachErrorMapper.Map(new PachException(kind, StatusCode.Unknown, "secret internal text user:alice"), new PachErrorContext("b", "k", versionId));
        Assert.Equal(code, error.Error.Code);
        Assert.Equal(status, error.Error.StatusCode);
        Assert.DoesNotContain("alice", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PachErrorKind.Unavailable, StatusCode.Unavailable)]
    [InlineData(PachErrorKind.Unavailable, StatusCode.DeadlineExceeded)]
    [InlineData(PachErrorKind.CommitNotFinished, StatusCode.Unavailable)]
    public void Map_PachdNotAnsweringOrBusy_ServiceUnavailableWithRetryAfter(PachErrorKind kind, StatusCode status)
    {
        var error = PachErrorMapper.Map(new PachException(kind, status, "pachd did not answer"), new PachErrorContext("b", "k", null), retryAfterSeconds: 3);

        Assert.Equal("ServiceUnavailable", error.Error.Code);
        Assert.Equal("3", error.Headers?["Retry-After"]);
    }

    [Fact]
    public void Map_Context_NamesBucketKeyAndVersion()
    {
        var context = new PachErrorContext("master.images", "cats/1.png", "0123456789ab4def0123456789abcdef");

        Assert.Equal("master.images", PachErrorMapper.Map(new PachException(PachErrorKind.RepoNotFound, StatusCode.NotFound, "x"), context).BucketName);
        Assert.Equal("cats/1.png", PachErrorMapper.Map(new PachException(PachErrorKind.FileNotFound, StatusCode.NotFound, "x"), context).Key);
        var version = PachErrorMapper.Map(new PachException(PachErrorKind.CommitNotFound, StatusCode.NotFound, "x"), context);
        Assert.Equal("cats/1.png", version.Key);
        Assert.Contains(new KeyValuePair<string, string>("VersionId", context.VersionId!), version.Details);
    }
}
