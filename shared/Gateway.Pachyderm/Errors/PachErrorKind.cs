namespace Gateway.Pachyderm;

/// <summary>What went wrong at pachd, classified once from the gRPC status code and message.</summary>
public enum PachErrorKind
{
    /// <summary>Anything not classified below.</summary>
    Unknown = 0,
    /// <summary>NOT_FOUND: <c>repo &lt;project&gt;/&lt;repo&gt; not found</c>.</summary>
    RepoNotFound,
    /// <summary>NOT_FOUND: <c>branch "&lt;b&gt;" not found in repo &lt;project&gt;/&lt;repo&gt;</c>.</summary>
    BranchNotFound,
    /// <summary>NOT_FOUND: <c>commit &lt;repo&gt;@&lt;id&gt; not found</c>.</summary>
    CommitNotFound,
    /// <summary>NOT_FOUND: <c>file &lt;path&gt; not found in repo &lt;repo&gt; at commit &lt;id&gt;</c>.</summary>
    FileNotFound,
    /// <summary>NOT_FOUND: <c>project "&lt;p&gt;" not found</c>.</summary>
    ProjectNotFound,
    /// <summary>ALREADY_EXISTS (repo, branch or project).</summary>
    AlreadyExists,
    /// <summary><c>commit &lt;c&gt; has already finished</c>.</summary>
    CommitFinished,
    /// <summary>UNAVAILABLE <c>commit &lt;c&gt; not finished</c>.</summary>
    CommitNotFinished,
    /// <summary>PERMISSION_DENIED: <c>... is not authorized to perform this operation ...</c>.</summary>
    NotAuthorized,
    /// <summary>UNIMPLEMENTED: <c>the auth service is not activated</c>.</summary>
    AuthNotActive,
    /// <summary>UNAUTHENTICATED: <c>no authentication token (try logging in)</c>.</summary>
    NoToken,
    /// <summary>UNAUTHENTICATED: <c>provided auth token is corrupted or has expired (try logging in again)</c>.</summary>
    BadToken,
    /// <summary><c>name (&lt;n&gt;) invalid: only alphanumeric characters, underscores, and dashes are allowed</c>.</summary>
    InvalidName,
    /// <summary><c>path (&lt;p&gt;) invalid: ...</c> (non-printable, globbing character, relative path).</summary>
    InvalidPath,
    /// <summary><c>cannot start a commit on an output branch</c>.</summary>
    OutputBranch,
    /// <summary>INVALID_ARGUMENT (e.g. <c>validate request: ...</c>) or a server-side precondition.</summary>
    InvalidArgument,
    /// <summary>The server could not be reached or the call timed out.</summary>
    Unavailable,
    /// <summary>The caller cancelled the call.</summary>
    Cancelled,
    /// <summary>A directory where a file was expected, several files matched, or similar FAILED_PRECONDITION.</summary>
    NotAFile,
    /// <summary>
    /// UNIMPLEMENTED (other than <see cref="AuthNotActive"/>): this pachd does not serve the RPC or the option asked for,
    /// e.g. SquashCommit before pachd 2.8 (<c>unknown method SquashCommit for service pfs_v2.API</c>).
    /// </summary>
    Unimplemented,
    /// <summary>
    /// pachd refused to squash the commit (UNKNOWN <c>cannot squash ...</c>): it has no children (<c>cannot squash a commit
    /// that has no children as that would cause data loss, use the drop operation instead: &lt;commit&gt;</c>), a child is
    /// not finished yet (<c>cannot squash until child commit &lt;child&gt; is finished</c>), it has subvenant commits
    /// and the squash was not recursive, or it updated a pipeline. Nothing was changed.
    /// </summary>
    CannotSquash,
}
