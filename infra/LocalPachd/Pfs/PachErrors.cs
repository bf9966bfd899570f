using Grpc.Core;

namespace LocalPachd.Pfs;

/// <summary>
/// pachd's error statuses and texts. Clients classify by status code first and then by these substrings,
/// so the wording matches pachd 2.11 exactly.
/// </summary>
internal static class PachErrors
{
    public static RpcException ProjectNotFound(string project) => New(StatusCode.NotFound, $"project \"{project}\" not found");

    public static RpcException ProjectExists(string project) => New(StatusCode.AlreadyExists, $"project \"{project}\" already exists");

    public static RpcException RepoNotFound(string repo) => New(StatusCode.NotFound, $"repo {repo} not found");

    public static RpcException RepoExists(string repo) => New(StatusCode.AlreadyExists, $"repo {repo} already exists");

    public static RpcException BranchNotFound(string branch, string repo) =>
        New(StatusCode.NotFound, $"branch \"{branch}\" not found in repo {repo}");

    public static RpcException CommitNotFound(string repo, string id) => New(StatusCode.NotFound, $"commit {repo}@{id} not found");

    public static RpcException CommitFinished(string repo, string id) => New(StatusCode.Unknown, $"commit {repo}@{id} has already finished");

    public static RpcException SquashWithoutChildren(string repo, string id) =>
        New(StatusCode.Unknown, $"cannot squash a commit that has no children as that would cause data loss, use the drop operation instead: {repo}@{id}");

    public static RpcException SquashUnfinishedChild(string repo, string child, bool finishing) =>
        New(StatusCode.Unknown, $"cannot squash until child commit {repo}@{child} is finished{(finishing ? ", consider using WaitCommit" : string.Empty)}");

    public static RpcException FileNotFound(string path, string repo, string commit) =>
        New(StatusCode.NotFound, $"file {path} not found in repo {repo} at commit {commit}");

    public static RpcException InvalidName(string name) =>
        New(StatusCode.Unknown, $"name ({name}) invalid: only alphanumeric characters, underscores, and dashes are allowed");

    public static RpcException NotAuthorized(string principal, string permission, string resource) =>
        New(StatusCode.PermissionDenied, $"{principal} is not authorized to perform this operation - needs permissions [{permission}] on {resource}");

    public static RpcException New(StatusCode code, string message) => new(new Status(code, message), message);
}
