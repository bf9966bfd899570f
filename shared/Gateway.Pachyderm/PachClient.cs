using System.Net.Http;
using System.Runtime.CompilerServices;
using Gateway.Pachyderm.Client;
using Gateway.Pachyderm.Files;
using Gateway.Pachyderm.Protos.Auth;
using Gateway.Pachyderm.Protos.Pfs;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using AuthApi = Gateway.Pachyderm.Protos.Auth.API;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;
using PachVersion = Gateway.Pachyderm.Protos.Version.Version;
using PfsApi = Gateway.Pachyderm.Protos.Pfs.API;
using VersionApi = Gateway.Pachyderm.Protos.Version.API;

namespace Gateway.Pachyderm;

/// <summary>
/// <see cref="IPachClient"/> over one <see cref="GrpcChannel"/> (HTTP/2, several connections allowed, keepalive pings,
/// pooled connections never idled out, a connect timeout). Unary calls carry a deadline
/// (<see cref="PachClientOptions.CallTimeout"/>), streaming calls an idle timeout
/// (<see cref="PachClientOptions.StreamIdleTimeout"/>): a pachd that stops answering fails calls as
/// <see cref="PachErrorKind.Unavailable"/> rather than holding them. Create one per pachd with <see cref="Create"/> and share it;
/// <see cref="WithToken"/> views share the channel. Disposing the instance from <see cref="Create"/> closes the channel;
/// disposing a token view does nothing.
/// </summary>
public sealed class PachClient : IPachClient, IDisposable
{
    /// <summary>The metadata key pachd reads the caller's token from.</summary>
    public const string TokenHeader = "authn-token";

    /// <summary>
    /// The response trailer in which LocalPachd names the commit a ModifyFile stream created (an extension: pachd 2.x sends
    /// no such trailer, and its clients ignore it).
    /// </summary>
    public const string CreatedCommitTrailer = "localpachd-created-commit";

    /// <summary>
    /// The binary response header (a serialized pfs_v2.FileInfo) in which LocalPachd describes the file a GetFile serves
    /// when the request carries <see cref="DescribeFileHeader"/>, and the response trailer in which it describes the last
    /// file a ModifyFile added, at the commit it created (extensions: pachd 2.x sends neither).
    /// </summary>
    public const string FileInfoHeader = "localpachd-file-info-bin";

    /// <summary>The request header that asks LocalPachd for <see cref="FileInfoHeader"/> (pachd 2.x ignores it).</summary>
    public const string DescribeFileHeader = "localpachd-describe-file";

    /// <summary>
    /// The binary trailer (a serialized pfs_v2.FileInfo) of an InspectFile that found nothing, in which LocalPachd
    /// describes the path's nearest existing ancestor when the request carries <see cref="DescribeFileHeader"/> (an
    /// extension: pachd 2.x sends none).
    /// </summary>
    public const string AncestorInfoTrailer = "localpachd-ancestor-info-bin";

    private readonly GrpcChannel _channel;
    private readonly PfsApi.APIClient _pfs;
    private readonly CallInvoker _invoker;
    private readonly AuthApi.APIClient _auth;
    private readonly VersionApi.APIClient _version;
    private readonly PachClientOptions _options;
    private readonly Metadata? _headers;
    private readonly Metadata _describeHeaders;
    private readonly bool _ownsChannel;
    private readonly ServerTraits _traits;

    private PachClient(GrpcChannel channel, Uri address, PachClientOptions options, string? token, bool ownsChannel, ServerTraits traits)
    {
        _traits = traits;
        Address = address;
        _channel = channel;
        _options = options;
        _ownsChannel = ownsChannel;
        _invoker = channel.CreateCallInvoker();
        _pfs = new PfsApi.APIClient(_invoker);
        _auth = new AuthApi.APIClient(channel);
        _version = new VersionApi.APIClient(channel);
        _headers = token is null ? null : new Metadata { { TokenHeader, token } };
        _describeHeaders = token is null ? [] : new Metadata { { TokenHeader, token } };
        _describeHeaders.Add(DescribeFileHeader, "1");
    }

    /// <summary>The http(s) address the channel talks to.</summary>
    public Uri Address { get; }

    /// <summary>Creates a client (and its channel) for <see cref="PachClientOptions.Address"/>.</summary>
    public static PachClient Create(PachClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.AddFileChunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.AddFileChunkSize, options.MaxReceiveMessageSize);
        ThrowIfNotATimeout(options.CallTimeout, nameof(options.CallTimeout));
        ThrowIfNotATimeout(options.StreamIdleTimeout, nameof(options.StreamIdleTimeout));
        ThrowIfNotATimeout(options.ConnectTimeout, nameof(options.ConnectTimeout));
        var address = PachAddress.Parse(options.Address);
        var handler = new SocketsHttpHandler
        {
            // Large uploads and downloads run side by side; one HTTP/2 connection caps concurrent streams at 100.
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            // Without it a pachd address that drops packets holds a call for the OS's TCP retries (minutes).
            ConnectTimeout = options.ConnectTimeout,
        };
        if (options.Connect is { } connect)
        {
            handler.ConnectCallback = (_, cancellationToken) => connect(cancellationToken);
        }

        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = null,
        });
        return new PachClient(channel, address, options, token: null, ownsChannel: true, new ServerTraits());
    }

    /// <summary>Creates a client for <paramref name="address"/> with default options.</summary>
    public static PachClient Create(string address) => Create(new PachClientOptions { Address = address });

    /// <inheritdoc/>
    public bool NamesCreatedCommits => _traits.NamesCreatedCommits;

    /// <inheritdoc/>
    public IPachClient WithToken(string? token) => new PachClient(_channel, Address, _options, token, ownsChannel: false, _traits);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsChannel)
        {
            _channel.Dispose();
        }
    }

    // ---- version / auth ----

    /// <inheritdoc/>
    public Task<PachVersion> GetVersionAsync(CancellationToken cancellationToken = default) =>
        UnaryAsync(_version.GetVersionAsync(new Empty(), Options(cancellationToken)), cancellationToken);

    /// <inheritdoc/>
    public async Task<string> ActivateAuthAsync(string? rootToken, CancellationToken cancellationToken = default)
    {
        var response = await UnaryAsync(_auth.ActivateAsync(new ActivateRequest { RootToken = rootToken ?? string.Empty }, Options(cancellationToken)), cancellationToken).ConfigureAwait(false);
        // pachctl then lets PFS set up the role bindings of existing repos, acting as the new root.
        var asRoot = new CallOptions(new Metadata { { TokenHeader, response.PachToken } }, Deadline(), cancellationToken);
        await UnaryAsync(_pfs.ActivateAuthAsync(new ActivateAuthRequest(), asRoot), cancellationToken).ConfigureAwait(false);
        return response.PachToken;
    }

    /// <inheritdoc/>
    public Task<WhoAmIResponse> WhoAmIAsync(CancellationToken cancellationToken = default) =>
        UnaryAsync(_auth.WhoAmIAsync(new WhoAmIRequest(), Options(cancellationToken)), cancellationToken);

    /// <inheritdoc/>
    public async Task<bool> IsAuthActiveAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // Deliberately without a token: the answer must not depend on who asks.
            await UnaryAsync(_auth.WhoAmIAsync(new WhoAmIRequest(), new CallOptions(deadline: Deadline(), cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PachException e) when (e.Kind == PachErrorKind.AuthNotActive)
        {
            return false;
        }
        catch (PachException e) when (e.Kind is PachErrorKind.NoToken or PachErrorKind.BadToken or PachErrorKind.NotAuthorized)
        {
            return true;
        }
    }

    /// <inheritdoc/>
    public async Task<string> GetRobotTokenAsync(string robot, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(robot);
        var request = new GetRobotTokenRequest { Robot = robot, Ttl = ttl is { } t ? (long)Math.Ceiling(t.TotalSeconds) : 0 };
        var response = await UnaryAsync(_auth.GetRobotTokenAsync(request, Options(cancellationToken)), cancellationToken).ConfigureAwait(false);
        return response.Token;
    }

    // ---- projects ----

    /// <inheritdoc/>
    public Task CreateProjectAsync(string project, string? description = null, bool update = false, CancellationToken cancellationToken = default) =>
        UnaryAsync(_pfs.CreateProjectAsync(new CreateProjectRequest
        {
            Project = new Project { Name = project },
            Description = description ?? string.Empty,
            Update = update,
        }, Options(cancellationToken)), cancellationToken);

    /// <inheritdoc/>
    public Task<ProjectInfo> InspectProjectAsync(string project, CancellationToken cancellationToken = default) =>
        UnaryAsync(_pfs.InspectProjectAsync(new InspectProjectRequest { Project = new Project { Name = project } }, Options(cancellationToken)), cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<ProjectInfo> ListProjectsAsync(CancellationToken cancellationToken = default) =>
        StreamAsync(options => _pfs.ListProject(new ListProjectRequest(), options), cancellationToken);

    /// <inheritdoc/>
    public Task DeleteProjectAsync(string project, bool force = false, CancellationToken cancellationToken = default) =>
        UnaryAsync(_pfs.DeleteProjectAsync(new DeleteProjectRequest { Project = new Project { Name = project }, Force = force }, Options(cancellationToken)), cancellationToken);

    // ---- repos ----

    /// <inheritdoc/>
    public Task CreateRepoAsync(RepoRef repo, string? description = null, bool update = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repo);
        return UnaryAsync(_pfs.CreateRepoAsync(new CreateRepoRequest
        {
            Repo = repo.ToProto(),
            Description = description ?? string.Empty,
            Update = update,
        }, Options(cancellationToken)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RepoInfo> InspectRepoAsync(RepoRef repo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repo);
        return UnaryAsync(_pfs.InspectRepoAsync(new InspectRepoRequest { Repo = repo.ToProto() }, Options(cancellationToken)), cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<RepoInfo> ListReposAsync(string type = RepoRef.UserType, IReadOnlyCollection<string>? projects = null,
        CancellationToken cancellationToken = default)
    {
        var request = new ListRepoRequest { Type = type ?? string.Empty };
        if (projects is not null)
        {
            request.Projects.AddRange(projects.Select(p => new Project { Name = p }));
        }
        return StreamAsync(options => _pfs.ListRepo(request, options), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteRepoAsync(RepoRef repo, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repo);
        var response = await UnaryAsync(_pfs.DeleteRepoAsync(new DeleteRepoRequest { Repo = repo.ToProto(), Force = force }, Options(cancellationToken)), cancellationToken).ConfigureAwait(false);
        return response.Deleted;
    }

    // ---- branches ----

    /// <inheritdoc/>
    public Task CreateBranchAsync(BranchRef branch, CommitRef? head = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(branch);
        return UnaryAsync(_pfs.CreateBranchAsync(new CreateBranchRequest { Branch = branch.ToProto(), Head = head?.ToProto() }, Options(cancellationToken)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<BranchInfo> InspectBranchAsync(BranchRef branch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(branch);
        return UnaryAsync(_pfs.InspectBranchAsync(new InspectBranchRequest { Branch = branch.ToProto() }, Options(cancellationToken)), cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<BranchInfo> ListBranchesAsync(RepoRef repo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repo);
        var request = new ListBranchRequest { Repo = repo.ToProto() };
        return StreamAsync(options => _pfs.ListBranch(request, options), cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteBranchAsync(BranchRef branch, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(branch);
        return UnaryAsync(_pfs.DeleteBranchAsync(new DeleteBranchRequest { Branch = branch.ToProto(), Force = force }, Options(cancellationToken)), cancellationToken);
    }

    // ---- commits ----

    /// <inheritdoc/>
    public async Task<CommitRef> StartCommitAsync(BranchRef branch, CommitRef? parent = null, string? description = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(branch);
        var commit = await UnaryAsync(_pfs.StartCommitAsync(new StartCommitRequest
        {
            Branch = branch.ToProto(),
            Parent = parent?.ToProto(),
            Description = description ?? string.Empty,
        }, Options(cancellationToken)), cancellationToken).ConfigureAwait(false);
        // pachd 2.11+ clears Commit.branch in responses; keep the branch we asked for (≤2.5 servers address by it).
        return new CommitRef(branch.Repo, branch.Name, commit.Id);
    }

    /// <inheritdoc/>
    public Task FinishCommitAsync(CommitRef commit, string? description = null, string? error = null, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return UnaryAsync(_pfs.FinishCommitAsync(new FinishCommitRequest
        {
            Commit = commit.ToProto(),
            Description = description ?? string.Empty,
            Error = error ?? string.Empty,
            Force = force,
        }, Options(cancellationToken)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<CommitInfo> InspectCommitAsync(CommitRef commit, CommitState wait = CommitState.Unknown, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return UnaryAsync(_pfs.InspectCommitAsync(new InspectCommitRequest { Commit = commit.ToProto(), Wait = wait }, Options(cancellationToken)), cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<CommitInfo> ListCommitsAsync(RepoRef repo, CommitRef? to = null, long number = 0, CommitRef? from = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repo);
        var request = new ListCommitRequest { Repo = repo.ToProto(), To = to?.ToProto(), From = from?.ToProto(), Number = number };
        return StreamAsync(options => _pfs.ListCommit(request, options), cancellationToken);
    }

    /// <inheritdoc/>
    public Task SquashCommitAsync(CommitRef commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return UnaryAsync(_pfs.SquashCommitAsync(new SquashCommitRequest { Commit = commit.ToProto(), Recursive = false }, Options(cancellationToken)), cancellationToken);
    }

    // ---- files ----

    /// <inheritdoc/>
    public async Task<string?> ModifyFileAsync(CommitRef target, Func<IModifyFileWriter, Task> write, CancellationToken cancellationToken = default) =>
        (await ModifyFileCoreAsync(target, write, describe: false, cancellationToken).ConfigureAwait(false)).CreatedCommit;

    /// <inheritdoc/>
    public Task<ModifyFileResult> ModifyFileDescribedAsync(CommitRef target, Func<IModifyFileWriter, Task> write, CancellationToken cancellationToken = default) =>
        ModifyFileCoreAsync(target, write, describe: true, cancellationToken);

    private async Task<ModifyFileResult> ModifyFileCoreAsync(CommitRef target, Func<IModifyFileWriter, Task> write, bool describe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(write);
        using var timer = new StreamIdleTimer(_options.StreamIdleTimeout, cancellationToken);
        // Disposing the call before CompleteAsync resets the HTTP/2 stream: pachd never sees a half-close and applies nothing.
        using var call = _pfs.ModifyFile(StreamOptions(timer, describe));
        var writer = new ModifyFileWriter(call.RequestStream, call.ResponseAsync, _options.AddFileChunkSize, _options.WrapUploadBuffers, timer);
        try
        {
            await writer.SendAsync(new ModifyFileRequest { SetCommit = target.ToProto() }, cancellationToken).ConfigureAwait(false);
            await write(writer).ConfigureAwait(false);
            writer.Closed = true;
            cancellationToken.ThrowIfCancellationRequested();
            using (timer.Waiting())
            {
                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                await call.ResponseAsync.ConfigureAwait(false);
            }

            var trailers = call.GetTrailers();
            var created = trailers.GetValue(CreatedCommitTrailer) is { Length: > 0 } id ? id : null;
            if (created is not null)
            {
                _traits.NamesCreatedCommits = true;
            }

            var lastAdded = created is not null && trailers.Get(FileInfoHeader) is { IsBinary: true } described ? FileInfo.Parser.ParseFrom(described.ValueBytes) : null;
            return new ModifyFileResult(created, lastAdded);
        }
        catch (RpcException e)
        {
            throw timer.Translate(e, cancellationToken);
        }
        catch (OperationCanceledException e) when (timer.Expired)
        {
            throw timer.TimedOut(e);
        }
        finally
        {
            writer.Closed = true;
        }
    }

    /// <inheritdoc/>
    public Task PutFileAsync(CommitRef target, string path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        // What the Go client does: delete first, then append the new content, so an existing file is replaced.
        return ModifyFileAsync(target, async writer =>
        {
            await writer.DeleteFileAsync(path, cancellationToken).ConfigureAwait(false);
            await writer.AddFileAsync(path, content, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<Stream> GetFileAsync(FileRef file, long offset = 0, CancellationToken cancellationToken = default) =>
        await OpenGetFileAsync(file, offset, describe: false, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<FileDownload?> OpenFileAsync(FileRef file, CancellationToken cancellationToken = default)
    {
        if (_traits.NoFileInfo)
        {
            return null;
        }

        var stream = await OpenGetFileAsync(file, 0, describe: true, cancellationToken).ConfigureAwait(false);
        try
        {
            // The first chunk (or the end) has arrived, so the headers have.
            var headers = await stream.ResponseHeadersAsync.ConfigureAwait(false);
            if (headers.Get(FileInfoHeader) is { IsBinary: true } described)
            {
                var info = FileInfo.Parser.ParseFrom(described.ValueBytes);
                stream.ExpectLength(info.SizeBytes);
                return new FileDownload(info, stream);
            }

            // pachd 2.x: it never will, so later calls do not ask.
            _traits.NoFileInfo = true;
        }
        catch (InvalidProtocolBufferException)
        {
            _traits.NoFileInfo = true;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await stream.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private async Task<GetFileStream> OpenGetFileAsync(FileRef file, long offset, bool describe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        // GetFile reads its path as a glob: escape it so the file is read by its exact name.
        var exact = file with { Path = GlobPaths.Escape(file.Path) };
        // The stream owns the timer from here: it lives as long as the download.
        var timer = new StreamIdleTimer(_options.StreamIdleTimeout, cancellationToken);
        AsyncServerStreamingCall<FileChunk> call;
        try
        {
            // The generated client's GetFile would allocate a new array per message: read them into pooled buffers.
            call = _invoker.AsyncServerStreamingCall(FileChunk.GetFileMethod, null, StreamOptions(timer, describe), new GetFileRequest { File = exact.ToProto(), Offset = offset });
        }
        catch
        {
            timer.Dispose();
            throw;
        }
        return await GetFileStream.OpenAsync(call, timer, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<FileInfo> InspectFileAsync(FileRef file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return UnaryAsync(_pfs.InspectFileAsync(new InspectFileRequest { File = file.ToProto() }, Options(cancellationToken)), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<PathLookup> LookUpPathAsync(FileRef file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var call = _pfs.InspectFileAsync(new InspectFileRequest { File = file.ToProto() }, Options(cancellationToken, describe: true));
        try
        {
            return new PathLookup(await call.ResponseAsync.ConfigureAwait(false), null);
        }
        catch (RpcException e)
        {
            var error = PachErrors.Translate(e, cancellationToken);
            if (error is not PachException { Kind: PachErrorKind.FileNotFound or PachErrorKind.NotAFile })
            {
                throw error;
            }

            var ancestor = e.Trailers.Get(AncestorInfoTrailer) is { IsBinary: true } described ? FileInfo.Parser.ParseFrom(described.ValueBytes) : null;
            return new PathLookup(null, ancestor);
        }
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<FileInfo> ListFileAsync(FileRef dir, string? paginationMarker = null, long number = 0, bool reverse = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dir);
        var request = new ListFileRequest { File = dir.ToProto(), Number = number, Reverse = reverse };
        if (paginationMarker is not null)
        {
            request.PaginationMarker = new Protos.Pfs.File { Commit = dir.Commit.ToProto(), Path = paginationMarker };
        }
        return StreamAsync(options => _pfs.ListFile(request, options), cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<FileInfo> GlobFileAsync(CommitRef commit, string pattern, PathRange? range = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(pattern);
        var request = new GlobFileRequest { Commit = commit.ToProto(), Pattern = pattern, PathRange = range };
        return StreamAsync(options => _pfs.GlobFile(request, options), cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<FileInfo> WalkFileAsync(FileRef root, string? paginationMarker = null, long number = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var request = new WalkFileRequest { File = root.ToProto(), Number = number };
        if (paginationMarker is not null)
        {
            request.PaginationMarker = new Protos.Pfs.File { Commit = root.Commit.ToProto(), Path = paginationMarker };
        }
        return StreamAsync(options => _pfs.WalkFile(request, options), cancellationToken);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<FileDiff> DiffFileAsync(FileRef newFile, FileRef? oldFile = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newFile);
        // Paths are prefixes here, not globs: no escaping.
        var request = new DiffFileRequest { NewFile = newFile.ToProto(), OldFile = oldFile?.ToProto() };
        await foreach (var response in StreamAsync(options => _pfs.DiffFile(request, options), cancellationToken).ConfigureAwait(false))
        {
            if (FileDiff.FromResponse(response) is { } diff)
            {
                yield return diff;
            }
        }
    }

    // ---- plumbing ----

    /// <summary>Options of a unary call: the bound token and the deadline.</summary>
    private CallOptions Options(CancellationToken cancellationToken, bool describe = false) => new(describe ? _describeHeaders : _headers, Deadline(), cancellationToken);

    /// <summary>
    /// Options of a streaming call: no deadline (a transfer takes as long as it takes), the idle timer's token;
    /// <paramref name="describe"/> adds <see cref="DescribeFileHeader"/>.
    /// </summary>
    private CallOptions StreamOptions(StreamIdleTimer timer, bool describe = false) => new(describe ? _describeHeaders : _headers, cancellationToken: timer.Token);

    private DateTime? Deadline() => _options.CallTimeout == Timeout.InfiniteTimeSpan ? null : DateTime.UtcNow + _options.CallTimeout;

    private static void ThrowIfNotATimeout(TimeSpan value, string name)
    {
        if (value != Timeout.InfiniteTimeSpan && value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, "A timeout must be positive, or Timeout.InfiniteTimeSpan for none.");
        }
    }

    private static async Task<T> UnaryAsync<T>(AsyncUnaryCall<T> call, CancellationToken cancellationToken)
    {
        using (call)
        {
            try
            {
                return await call.ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw PachErrors.Translate(e, cancellationToken);
            }
        }
    }

    /// <summary>A server stream, each wait for its next message bounded by the idle timeout.</summary>
    private async IAsyncEnumerable<T> StreamAsync<T>(Func<CallOptions, AsyncServerStreamingCall<T>> start,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var timer = new StreamIdleTimer(_options.StreamIdleTimeout, cancellationToken);
        using var call = start(StreamOptions(timer));
        while (await MoveNextAsync(call.ResponseStream, timer, cancellationToken).ConfigureAwait(false))
        {
            yield return call.ResponseStream.Current;
        }
    }

    private static async Task<bool> MoveNextAsync<T>(IAsyncStreamReader<T> reader, StreamIdleTimer timer, CancellationToken cancellationToken)
    {
        using (timer.Waiting())
        {
            try
            {
                return await reader.MoveNext(timer.Token).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw timer.Translate(e, cancellationToken);
            }
            catch (OperationCanceledException e) when (timer.Expired)
            {
                throw timer.TimedOut(e);
            }
        }
    }

    /// <summary>What a client and its token views have learned about the server.</summary>
    private sealed class ServerTraits
    {
        /// <summary>True once a GetFile came without <see cref="FileInfoHeader"/>: the server is not LocalPachd.</summary>
        public volatile bool NoFileInfo;

        /// <summary>True once a ModifyFile was answered with <see cref="CreatedCommitTrailer"/>: the server is LocalPachd.</summary>
        public volatile bool NamesCreatedCommits;
    }
}
