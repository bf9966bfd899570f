using Grpc.Core;
using Xunit;

namespace Gateway.Pachyderm.Tests.Errors;

public sealed class PachErrorsTests
{
    // Status codes and message texts as pachd 2.x sends them (see the wire contract's error table).
    public static TheoryData<StatusCode, string, PachErrorKind> PachdErrors => new()
    {
        { StatusCode.NotFound, "repo default/images not found", PachErrorKind.RepoNotFound },
        { StatusCode.NotFound, "repo (id=0, project=default, name=images, type=user) not found", PachErrorKind.RepoNotFound },
        { StatusCode.NotFound, "branch \"master\" not found in repo default/images", PachErrorKind.BranchNotFound },
        { StatusCode.NotFound, "branch \"master\" not found in repo default/images: repo default/images not found", PachErrorKind.BranchNotFound },
        { StatusCode.NotFound, "file /a/b.txt not found in repo images at commit 0123456789ab4def0123456789abcdef", PachErrorKind.FileNotFound },
        { StatusCode.NotFound, "file /odd:name not found in repo images at commit 0123456789ab4def0123456789abcdef", PachErrorKind.FileNotFound },
        { StatusCode.NotFound, "commit images@0123456789ab4def0123456789abcdef not found", PachErrorKind.CommitNotFound },
        { StatusCode.NotFound, "commit (int_id=7, commit_id=images@0123456789ab4def0123456789abcdef) not found", PachErrorKind.CommitNotFound },
        { StatusCode.NotFound, "project \"research\" not found", PachErrorKind.ProjectNotFound },
        { StatusCode.NotFound, "something vanished", PachErrorKind.Unknown },
        { StatusCode.AlreadyExists, "repo default/images already exists", PachErrorKind.AlreadyExists },
        { StatusCode.AlreadyExists, "branch \"master\" already exists in repo default/images", PachErrorKind.AlreadyExists },
        { StatusCode.Unknown, "commit images@0123456789ab4def0123456789abcdef has already finished", PachErrorKind.CommitFinished },
        { StatusCode.Unknown, "name (bad name) invalid: only alphanumeric characters, underscores, and dashes are allowed", PachErrorKind.InvalidName },
        { StatusCode.Unknown, "path (/a\u0001) invalid: only printable ASCII characters allowed", PachErrorKind.InvalidPath },
        { StatusCode.Unknown, "path (/a*b) invalid: globbing character (*) not allowed in path", PachErrorKind.InvalidPath },
        { StatusCode.Unknown, "path (/a/../b) invalid: relative file paths are not allowed", PachErrorKind.InvalidPath },
        { StatusCode.Unknown, "cannot start a commit on an output branch: default/out@master", PachErrorKind.OutputBranch },
        { StatusCode.Unknown, "output commit images@0123456789ab4def0123456789abcdef not finished", PachErrorKind.CommitNotFinished },
        { StatusCode.Unknown, "parent commit images@0123456789ab4def0123456789abcdef has not been finished", PachErrorKind.CommitNotFinished },
        { StatusCode.Unknown, "cannot get directory or non-regular file /dir/", PachErrorKind.NotAFile },
        { StatusCode.Unknown, "matched multiple files", PachErrorKind.NotAFile },
        { StatusCode.Unknown, "file /x not found in repo images at commit 0123456789ab4def0123456789abcdef", PachErrorKind.FileNotFound },
        { StatusCode.Unknown, "robot:ci is not authorized to perform this operation - needs permissions [REPO_WRITE] on REPO images", PachErrorKind.NotAuthorized },
        { StatusCode.Unknown, "the auth service is not activated", PachErrorKind.AuthNotActive },
        { StatusCode.Unknown, "something else broke", PachErrorKind.Unknown },
        // SquashCommit's refusals (pachd 2.8+ src/server/pfs): plain errors, so UNKNOWN with the text only.
        { StatusCode.Unknown, "cannot squash a commit that has no children as that would cause data loss, use the drop operation instead: default/images@0123456789ab4def0123456789abcdef", PachErrorKind.CannotSquash },
        { StatusCode.Unknown, "cannot squash until child commit default/images@0123456789ab4def0123456789abcdef is finished", PachErrorKind.CannotSquash },
        { StatusCode.Unknown, "cannot squash until child commit default/images@0123456789ab4def0123456789abcdef is finished, consider using WaitCommit", PachErrorKind.CannotSquash },
        { StatusCode.Unknown, "cannot squash commit (default/images@0123456789ab4def0123456789abcdef) with subvenance without recursive", PachErrorKind.CannotSquash },
        { StatusCode.Unknown, "cannot squash commit default/images.spec@0123456789ab4def0123456789abcdef because it updated a pipeline", PachErrorKind.CannotSquash },
        { StatusCode.Internal, "repo default/images already exists", PachErrorKind.AlreadyExists },
        { StatusCode.Unavailable, "commit images@0123456789ab4def0123456789abcdef not finished", PachErrorKind.CommitNotFinished },
        { StatusCode.Unavailable, "failed to connect to all addresses", PachErrorKind.Unavailable },
        { StatusCode.DeadlineExceeded, "Deadline Exceeded", PachErrorKind.Unavailable },
        { StatusCode.Unimplemented, "the auth service is not activated", PachErrorKind.AuthNotActive },
        { StatusCode.Unimplemented, "unknown method FindCommits for service pfs_v2.API", PachErrorKind.Unimplemented },
        { StatusCode.Unimplemented, "unknown method SquashCommit for service pfs_v2.API", PachErrorKind.Unimplemented },
        { StatusCode.Unimplemented, "Method is unimplemented.", PachErrorKind.Unimplemented },
        { StatusCode.Unauthenticated, "no authentication token (try logging in)", PachErrorKind.NoToken },
        { StatusCode.Unauthenticated, "provided auth token is corrupted or has expired (try logging in again)", PachErrorKind.BadToken },
        { StatusCode.PermissionDenied, "robot:ci is not authorized to perform this operation - needs permissions [REPO_READ] on REPO default/images. Run \"pachctl auth roles-for-permission\" to find roles that grant a given permission.", PachErrorKind.NotAuthorized },
        { StatusCode.PermissionDenied, "robot:ci is not authorized to perform this operation - needs permissions [REPO_DELETE_COMMIT] on CLUSTER . Run `pachctl auth roles-for-permission` to find roles that grant a given permission.", PachErrorKind.NotAuthorized },
        { StatusCode.InvalidArgument, "validate request: invalid DeleteBranchRequest.Branch: value is required", PachErrorKind.InvalidArgument },
        { StatusCode.InvalidArgument, "name (a b) invalid: only alphanumeric characters, underscores, and dashes are allowed", PachErrorKind.InvalidName },
        { StatusCode.InvalidArgument, "path (/a?) invalid: globbing character (?) not allowed in path", PachErrorKind.InvalidPath },
        { StatusCode.Cancelled, "context canceled", PachErrorKind.Cancelled },
        { StatusCode.FailedPrecondition, "cannot get directory or non-regular file /dir/", PachErrorKind.NotAFile },
        { StatusCode.FailedPrecondition, "pattern /*.txt matched multiple files", PachErrorKind.NotAFile },
        { StatusCode.FailedPrecondition, "commit images@0123456789ab4def0123456789abcdef has already finished", PachErrorKind.CommitFinished },
    };

    [Theory]
    [MemberData(nameof(PachdErrors))]
    public void Classify_PachdStatus_Kind(StatusCode code, string message, PachErrorKind expected)
    {
        var original = new RpcException(new Status(code, message));

        var classified = PachErrors.Classify(original);

        Assert.Equal(expected, classified.Kind);
        Assert.Equal(code, classified.Status);
        Assert.Equal(message, classified.Message);
        Assert.Same(original, classified.InnerException);
    }

    [Theory]
    [InlineData(PachErrorKind.RepoNotFound, true)]
    [InlineData(PachErrorKind.BranchNotFound, true)]
    [InlineData(PachErrorKind.CommitNotFound, true)]
    [InlineData(PachErrorKind.FileNotFound, true)]
    [InlineData(PachErrorKind.ProjectNotFound, true)]
    [InlineData(PachErrorKind.AlreadyExists, false)]
    [InlineData(PachErrorKind.Unknown, false)]
    public void IsNotFound_Kind_MatchesNotFoundFamily(PachErrorKind kind, bool expected) =>
        Assert.Equal(expected, new PachException(kind, StatusCode.NotFound, "x").IsNotFound);

    [Fact]
    public void Classify_EmptyDetail_MessageNamesStatus()
    {
        var classified = PachErrors.Classify(new RpcException(new Status(StatusCode.Unavailable, string.Empty)));

        Assert.Equal(PachErrorKind.Unavailable, classified.Kind);
        Assert.Contains("Unavailable", classified.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ConnectionLostMidResponse_Unavailable()
    {
        // What Grpc.Net.Client reports when pachd goes away while a response streams: INTERNAL, transport error attached.
        var lost = new RpcException(new Status(StatusCode.Internal, "Error reading next message. HttpIOException: The response ended prematurely. (ResponseEnded)",
            new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely.")));

        Assert.Equal(PachErrorKind.Unavailable, PachErrors.Classify(lost).Kind);
    }

    [Fact]
    public void Classify_InternalStatusFromPachd_StaysUnknown()
    {
        var fromServer = new RpcException(new Status(StatusCode.Internal, "something broke inside pachd"));

        Assert.Equal(PachErrorKind.Unknown, PachErrors.Classify(fromServer).Kind);
    }

    [Fact]
    public void Translate_CancelledByCallerToken_OperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var original = new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));

        var translated = PachErrors.Translate(original, cts.Token);

        var cancelled = Assert.IsType<OperationCanceledException>(translated);
        Assert.Equal(cts.Token, cancelled.CancellationToken);
        Assert.Same(original, cancelled.InnerException);
    }

    [Fact]
    public void Translate_CancelledBySecondToken_OperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var translated = PachErrors.Translate(new RpcException(new Status(StatusCode.Cancelled, "x")), CancellationToken.None, cts.Token);

        Assert.IsType<OperationCanceledException>(translated);
    }

    [Fact]
    public void Translate_CancelledByServer_PachExceptionCancelled()
    {
        var translated = PachErrors.Translate(new RpcException(new Status(StatusCode.Cancelled, "context canceled")), CancellationToken.None);

        Assert.Equal(PachErrorKind.Cancelled, Assert.IsType<PachException>(translated).Kind);
    }

    [Fact]
    public void Translate_OtherStatusWhileTokenCancelled_PachException()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var translated = PachErrors.Translate(new RpcException(new Status(StatusCode.NotFound, "repo default/x not found")), cts.Token);

        Assert.Equal(PachErrorKind.RepoNotFound, Assert.IsType<PachException>(translated).Kind);
    }
}
