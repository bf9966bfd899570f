using Gateway.Pachyderm.Protos.Auth;
using Gateway.Pachyderm.Protos.Pfs;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;
using PachVersion = Gateway.Pachyderm.Protos.Version.Version;

namespace Gateway.Pachyderm;

/// <summary>
/// A typed pachd client. Every call that fails at pachd throws <see cref="PachException"/> (classified once,
/// here); nothing above this layer looks at gRPC status codes or messages.
/// One instance per channel; <see cref="WithToken"/> gives a cheap view that sends a caller's token.
/// </summary>
public interface IPachClient
{
    /// <summary>A view of this client that sends <paramref name="token"/> as <c>authn-token</c> (null: no token).</summary>
    IPachClient WithToken(string? token);

    // ---- version / auth ----

    /// <summary>versionpb_v2.GetVersion.</summary>
    Task<PachVersion> GetVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>auth_v2.Activate; returns the root token (the given one, or one pachd generated).</summary>
    Task<string> ActivateAuthAsync(string? rootToken, CancellationToken cancellationToken = default);

    /// <summary>auth_v2.WhoAmI with the bound token.</summary>
    Task<WhoAmIResponse> WhoAmIAsync(CancellationToken cancellationToken = default);

    /// <summary>True when auth is active at pachd (probe that needs no token).</summary>
    Task<bool> IsAuthActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>auth_v2.GetRobotToken (needs an admin token).</summary>
    Task<string> GetRobotTokenAsync(string robot, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    // ---- projects ----

    /// <summary>pfs_v2.CreateProject.</summary>
    Task CreateProjectAsync(string project, string? description = null, bool update = false, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.InspectProject.</summary>
    Task<ProjectInfo> InspectProjectAsync(string project, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.ListProject.</summary>
    IAsyncEnumerable<ProjectInfo> ListProjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.DeleteProject.</summary>
    Task DeleteProjectAsync(string project, bool force = false, CancellationToken cancellationToken = default);

    // ---- repos ----

    /// <summary>pfs_v2.CreateRepo (<paramref name="update"/>: upsert).</summary>
    Task CreateRepoAsync(RepoRef repo, string? description = null, bool update = false, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.InspectRepo.</summary>
    Task<RepoInfo> InspectRepoAsync(RepoRef repo, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.ListRepo. <paramref name="type"/> "user" (default) or "" for every type; no projects = all.</summary>
    IAsyncEnumerable<RepoInfo> ListReposAsync(string type = RepoRef.UserType, IReadOnlyCollection<string>? projects = null, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.DeleteRepo; returns whether pachd says it deleted something.</summary>
    Task<bool> DeleteRepoAsync(RepoRef repo, bool force = false, CancellationToken cancellationToken = default);

    // ---- branches ----

    /// <summary>pfs_v2.CreateBranch; with no head, the branch gets an empty head commit.</summary>
    Task CreateBranchAsync(BranchRef branch, CommitRef? head = null, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.InspectBranch.</summary>
    Task<BranchInfo> InspectBranchAsync(BranchRef branch, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.ListBranch.</summary>
    IAsyncEnumerable<BranchInfo> ListBranchesAsync(RepoRef repo, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.DeleteBranch.</summary>
    Task DeleteBranchAsync(BranchRef branch, bool force = false, CancellationToken cancellationToken = default);

    // ---- commits ----

    /// <summary>pfs_v2.StartCommit on <paramref name="branch"/> (parent: its head unless given).</summary>
    Task<CommitRef> StartCommitAsync(BranchRef branch, CommitRef? parent = null, string? description = null, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.FinishCommit.</summary>
    Task FinishCommitAsync(CommitRef commit, string? description = null, string? error = null, bool force = false, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.InspectCommit (<paramref name="wait"/>: block until that state).</summary>
    Task<CommitInfo> InspectCommitAsync(CommitRef commit, CommitState wait = CommitState.Unknown, CancellationToken cancellationToken = default);

    /// <summary>
    /// pfs_v2.ListCommit, newest first: with <paramref name="to"/> (e.g. a branch head), that commit and its ancestors, down
    /// to <paramref name="from"/> (exclusive; when it is no ancestor, down to the first commit); at most
    /// <paramref name="number"/> (0 = all).
    /// </summary>
    IAsyncEnumerable<CommitInfo> ListCommitsAsync(RepoRef repo, CommitRef? to = null, long number = 0, CommitRef? from = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// pfs_v2.SquashCommit (pachd 2.8+): removes <paramref name="commit"/> (an id, or a branch head) from its repo's history.
    /// Its children keep their full content and become children of its parent; a branch whose head it was moves to its
    /// parent (to a new empty commit when it had none); what only it referred to is freed. Sent with <c>recursive</c> false,
    /// so pachd refuses a commit with subvenant commits rather than squash those too. A refused squash changes nothing.
    /// </summary>
    /// <remarks>
    /// Errors (<see cref="PachException.Kind"/>): <see cref="PachErrorKind.CommitNotFound"/> (or
    /// <see cref="PachErrorKind.RepoNotFound"/>, <see cref="PachErrorKind.BranchNotFound"/> when the repo or branch named is missing);
    /// <see cref="PachErrorKind.CannotSquash"/> when the commit has no children (squashing it would lose its data), a child
    /// is not finished yet, or it has subvenance; <see cref="PachErrorKind.NotAuthorized"/> with auth on for anyone but a
    /// cluster admin (pachd requires the cluster-level REPO_DELETE_COMMIT permission, which a repo's owner does not have);
    /// <see cref="PachErrorKind.Unimplemented"/> from a pachd older than 2.8.
    /// </remarks>
    Task SquashCommitAsync(CommitRef commit, CancellationToken cancellationToken = default);

    /// <summary>
    /// True once a ModifyFile through this client (or another view of its channel) was answered with the commit it
    /// created (<see cref="PachClient.CreatedCommitTrailer"/>): the server is LocalPachd, which names every commit a write
    /// creates, so a writer need not read the branch head before writing to find its own commit afterwards. Always false
    /// against pachd 2.x.
    /// </summary>
    bool NamesCreatedCommits { get; }

    // ---- files ----

    /// <summary>
    /// One pfs_v2.ModifyFile stream against <paramref name="target"/>. The stream is half-closed (and so
    /// applied) only when <paramref name="write"/> completes; if it throws or <paramref name="cancellationToken"/>
    /// fires, the call is cancelled and pachd applies nothing.
    /// </summary>
    /// <returns>
    /// The id of the commit the stream created, when the server says so: LocalPachd names it in the
    /// <see cref="PachClient.CreatedCommitTrailer"/> response trailer; pachd 2.x answers Empty, and so null. Null as well when
    /// the writes went into a commit that was already open.
    /// </returns>
    Task<string?> ModifyFileAsync(CommitRef target, Func<IModifyFileWriter, Task> write, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="ModifyFileAsync"/>, answering also what the stream's last added file is in the commit it created, as
    /// InspectFile there would describe it: one call where ModifyFile and InspectFile would be two. Only LocalPachd
    /// answers that (asked by <see cref="PachClient.DescribeFileHeader"/>, in the <see cref="PachClient.FileInfoHeader"/>
    /// response trailer); from pachd 2.x, from a stream that went into an open commit or added no file, or when its last
    /// added file is not a file of the commit (a later operation deleted it), <see cref="ModifyFileResult.LastAdded"/> is null.
    /// </summary>
    Task<ModifyFileResult> ModifyFileDescribedAsync(CommitRef target, Func<IModifyFileWriter, Task> write, CancellationToken cancellationToken = default);

    /// <summary>Overwrites <paramref name="path"/> with <paramref name="content"/> in one ModifyFile stream (delete + add).</summary>
    Task PutFileAsync(CommitRef target, string path, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// pfs_v2.GetFile of exactly <paramref name="file"/> (its path is glob-escaped, since pachd reads it as a glob)
    /// from <paramref name="offset"/>: a read-only, async-only stream over the server stream (dispose it
    /// to cancel the call). The first chunk is awaited here, so pachd's errors (file not found, not a file…) are thrown by
    /// this call as <see cref="PachException"/>; later failures are thrown by the stream's reads.
    /// <paramref name="cancellationToken"/> also cancels the download while the stream is being read.
    /// </summary>
    Task<Stream> GetFileAsync(FileRef file, long offset = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// GetFile of the whole of <paramref name="file"/> (as <see cref="GetFileAsync"/>) together with the FileInfo of the
    /// file served, which names the commit the bytes come from: one call where InspectFile and GetFile would be two.
    /// Only a server that describes what it serves can answer it (LocalPachd, asked by <see cref="PachClient.DescribeFileHeader"/>,
    /// answers in the <see cref="PachClient.FileInfoHeader"/> response header); from any other (pachd 2.x) the answer is null, learned from its first GetFile, after which null
    /// comes without a call. Errors as <see cref="GetFileAsync"/>.
    /// </summary>
    Task<FileDownload?> OpenFileAsync(FileRef file, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.InspectFile.</summary>
    Task<FileInfo> InspectFileAsync(FileRef file, CancellationToken cancellationToken = default);

    /// <summary>
    /// pfs_v2.InspectFile that answers a missing path (FileNotFound, NotAFile) with <see cref="PathLookup.File"/> null
    /// instead of an error and, from LocalPachd (<see cref="PachClient.AncestorInfoTrailer"/>), with the path's nearest
    /// existing ancestor: one call where pachd 2.x needs one per ancestor. Other errors as InspectFileAsync.
    /// </summary>
    Task<PathLookup> LookUpPathAsync(FileRef file, CancellationToken cancellationToken = default);

    /// <summary>
    /// pfs_v2.ListFile of directory <paramref name="dir"/> (entries directly below it; directories end in "/"),
    /// resumed after <paramref name="paginationMarker"/> (a full path, exclusive), at most <paramref name="number"/> (0 = all).
    /// </summary>
    IAsyncEnumerable<FileInfo> ListFileAsync(FileRef dir, string? paginationMarker = null, long number = 0, bool reverse = false, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.GlobFile: files and directories matching <paramref name="pattern"/>, in path order, within <paramref name="range"/>.</summary>
    IAsyncEnumerable<FileInfo> GlobFileAsync(CommitRef commit, string pattern, PathRange? range = null, CancellationToken cancellationToken = default);

    /// <summary>pfs_v2.WalkFile: recursive walk below <paramref name="root"/>, resumable after <paramref name="paginationMarker"/>.</summary>
    IAsyncEnumerable<FileInfo> WalkFileAsync(FileRef root, string? paginationMarker = null, long number = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// pfs_v2.DiffFile: the files that differ between <paramref name="oldFile"/> and <paramref name="newFile"/>, in path order.
    /// Each path restricts its side to that file or everything below that directory ("/" = the whole commit).
    /// Without <paramref name="oldFile"/>, the same path in the parent of <paramref name="newFile"/>'s commit (a commit without
    /// a parent diffs against an empty tree). A path that exists on neither side yields nothing (no FileNotFound).
    /// Only regular files are returned: the directory entries pachd 2.x also streams are skipped.
    /// </summary>
    IAsyncEnumerable<FileDiff> DiffFileAsync(FileRef newFile, FileRef? oldFile = null, CancellationToken cancellationToken = default);
}

/// <summary>The operations of one ModifyFile stream. Each call sends messages as it goes.</summary>
public interface IModifyFileWriter
{
    /// <summary>Appends <paramref name="content"/> to <paramref name="path"/> as AddFile chunks of <see cref="PachClientOptions.AddFileChunkSize"/> from pooled buffers.</summary>
    Task AddFileAsync(string path, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Appends the given bytes to <paramref name="path"/> (empty: creates an empty file).</summary>
    Task AddFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Deletes a file, or a whole directory when <paramref name="path"/> ends with "/".</summary>
    Task DeleteFileAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Copies <paramref name="source"/> (file or directory, any repo/commit) to <paramref name="destination"/>.</summary>
    Task CopyFileAsync(string destination, FileRef source, bool append = false, CancellationToken cancellationToken = default);
}
