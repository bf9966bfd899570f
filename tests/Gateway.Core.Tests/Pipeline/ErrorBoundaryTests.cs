using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Core.Tests.Pipeline;

public sealed class ErrorBoundaryTests
{
    private static readonly ErrorBoundary _boundary = new(NullLogger.Instance);

    private static S3RequestContext Request(string rawTarget)
    {
        var context = new DefaultHttpContext();
        var s3 = S3CommonHeaders.Apply(context, new S3ProtocolOptions());
        s3.Target = S3RequestTarget.Parse(rawTarget);
        return s3;
    }

    [Fact]
    public void ToS3Error_S3ErrorWrappedByTheClientOrATask_TheS3Error()
    {
        var verifier = new S3Exception(S3Errors.BadDigest);

        Assert.Same(verifier, _boundary.ToS3Error(new InvalidOperationException("wrapper", verifier), Request("/b/k")));
        Assert.Same(verifier, _boundary.ToS3Error(new AggregateException(new IOException("other"), verifier), Request("/b/k")));
    }

    [Theory]
    [InlineData("/b/k?versionId=0123456789ab4def0123456789abcdef", "NoSuchVersion")]
    [InlineData("/b/k", "NoSuchBucket")]
    public void ToS3Error_CommitNotFound_DependsOnWhetherAVersionWasAskedFor(string target, string code)
    {
        var error = _boundary.ToS3Error(new PachException(PachErrorKind.CommitNotFound, Grpc.Core.StatusCode.NotFound, "commit x not found"), Request(target));

        Assert.Equal(code, error.Error.Code);
    }

    [Fact]
    public void ToS3Error_PachErrors_NameTheRequestsBucketAndKey()
    {
        var request = Request("/master.images/cats/1.png");

        Assert.Equal("master.images", _boundary.ToS3Error(new PachException(PachErrorKind.BranchNotFound, Grpc.Core.StatusCode.NotFound, "x"), request).BucketName);
        Assert.Equal("cats/1.png", _boundary.ToS3Error(new PachException(PachErrorKind.FileNotFound, Grpc.Core.StatusCode.NotFound, "x"), request).Key);
    }

    [Theory]
    [InlineData(StatusCodes.Status413PayloadTooLarge, "EntityTooLarge")]
    [InlineData(StatusCodes.Status400BadRequest, "IncompleteBody")]
    public void ToS3Error_BodyKestrelRefused(int status, string code) =>
        Assert.Equal(code, _boundary.ToS3Error(new BadHttpRequestException("x", status), Request("/b/k")).Error.Code);

    [Fact]
    public void ToS3Error_PachdUnavailable_ServiceUnavailableWithTheConfiguredRetryAfter()
    {
        var boundary = new ErrorBoundary(NullLogger.Instance, retryAfterSeconds: 5);

        var error = boundary.ToS3Error(new PachException(PachErrorKind.Unavailable, Grpc.Core.StatusCode.DeadlineExceeded, "Deadline Exceeded"), Request("/b/k"));

        Assert.Equal(503, error.Error.StatusCode);
        Assert.Equal("ServiceUnavailable", error.Error.Code);
        Assert.Equal("5", error.Headers?["Retry-After"]);
    }

    [Theory]
    [InlineData(typeof(OperationCanceledException))]
    [InlineData(typeof(TaskCanceledException))]
    [InlineData(typeof(TimeoutException))]
    public void ToS3Error_AWaitInsideTheGatewayGaveUp_ServiceUnavailableNotInternalError(Type exception)
    {
        var error = _boundary.ToS3Error((Exception)Activator.CreateInstance(exception, "internal wait on 10.0.0.7")!, Request("/b/k"));

        Assert.Equal("ServiceUnavailable", error.Error.Code);
        Assert.Equal("1", error.Headers?["Retry-After"]);
        Assert.DoesNotContain("10.0.0.7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToS3Error_Anything_ElseGenericInternalError()
    {
        var error = _boundary.ToS3Error(new NullReferenceException("secret"), Request("/b/k"));

        Assert.Equal("InternalError", error.Error.Code);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
