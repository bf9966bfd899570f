using System.Buffers;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LocalPachd.Auth;
using LocalPachd.Hosting;
using LocalPachd.Pfs;
using LocalPachd.Storage;
using Microsoft.Extensions.Logging;

namespace LocalPachd.Services;

/// <summary>pfs_v2.API: the PFS subset the gateway uses, with pachd's semantics and errors.</summary>
internal sealed class PfsService : API.APIBase
{
    /// <summary>
    /// Largest GetFile message payload: 64 KiB. A .NET client parses each payload into a new array, and below the
    /// large-object heap's 85,000 bytes that array dies young in gen0; 4 MiB messages left the embedding gateway with
    /// tens of MiB of large-object garbage during a download (peak RSS of a 1 GiB GET 183 -> 142 MiB, same MiB/s).
    /// </summary>
    private const int _getFileMessageSize = 64 * 1024;

    /// <summary>Memory one ModifyFile stream may hold as small inline chunks before it spills to chunk files.</summary>
    private const long _maxInlineBytesPerStream = 16 * 1024 * 1024;

    /// <summary>How much of a rejected ModifyFile stream is read and discarded before the error is returned.</summary>
    private const long _maxDrainBytes = 64 * 1024 * 1024;

    private readonly PfsStore _store;
    private readonly LocalPachdOptions _options;
    private readonly ILogger<PfsService> _logger;

    public PfsService(PfsStore store, LocalPachdOptions options, ILogger<PfsService> logger)
    {
        _store = store;
        _options = options;
        _logger = logger;
    }

    // ---- projects ----

    public override async Task<Empty> CreateProject(CreateProjectRequest request, ServerCallContext context)
    {
        await _store.CreateProjectAsync(request.Project?.Name ?? string.Empty, request.Description, request.Update, Caller(context), context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    public override Task<ProjectInfo> InspectProject(InspectProjectRequest request, ServerCallContext context) =>
        Task.FromResult(_store.InspectProject(request.Project?.Name ?? PfsStore.DefaultProject));

    public override Task ListProject(ListProjectRequest request, IServerStreamWriter<ProjectInfo> responseStream, ServerCallContext context) =>
        StreamWriter.WriteAllAsync(responseStream, _store.ListProjects(), context.CancellationToken);

    public override async Task<Empty> DeleteProject(DeleteProjectRequest request, ServerCallContext context)
    {
        await _store.DeleteProjectAsync(request.Project?.Name ?? string.Empty, request.Force, Caller(context), context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    // ---- repos ----

    public override async Task<Empty> CreateRepo(CreateRepoRequest request, ServerCallContext context)
    {
        await _store.CreateRepoAsync(RepoKey.From(request.Repo), request.Description, request.Update, Caller(context), context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    public override Task<RepoInfo> InspectRepo(InspectRepoRequest request, ServerCallContext context) =>
        Task.FromResult(_store.InspectRepo(RepoKey.From(request.Repo), Caller(context)));

    public override Task ListRepo(ListRepoRequest request, IServerStreamWriter<RepoInfo> responseStream, ServerCallContext context)
    {
        var projects = request.Projects.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return StreamWriter.WriteAllAsync(responseStream, _store.ListRepos(request.Type, projects, Caller(context)), context.CancellationToken);
    }

    public override async Task<DeleteRepoResponse> DeleteRepo(DeleteRepoRequest request, ServerCallContext context)
    {
        var deleted = await _store.DeleteRepoAsync(RepoKey.From(request.Repo), Caller(context), context.CancellationToken).ConfigureAwait(false);
        return new DeleteRepoResponse { Deleted = deleted };
    }

    // ---- commits ----

    public override Task<Commit> StartCommit(StartCommitRequest request, ServerCallContext context)
    {
        var branch = request.Branch ?? throw PachErrors.New(StatusCode.InvalidArgument, "branch must be set");
        return _store.StartCommitAsync(RepoKey.From(branch.Repo ?? request.Parent?.Repo), branch.Name, request.Parent, request.Description, Caller(context), context.CancellationToken);
    }

    public override async Task<Empty> FinishCommit(FinishCommitRequest request, ServerCallContext context)
    {
        var commit = request.Commit ?? throw PachErrors.New(StatusCode.InvalidArgument, "commit must be set");
        await _store.FinishCommitAsync(commit, request.Description, request.Error, Caller(context), context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    public override Task<CommitInfo> InspectCommit(InspectCommitRequest request, ServerCallContext context)
    {
        var commit = request.Commit ?? throw PachErrors.New(StatusCode.InvalidArgument, "commit must be set");
        return _store.InspectCommitAsync(commit, request.Wait, Caller(context), context.CancellationToken);
    }

    public override Task ListCommit(ListCommitRequest request, IServerStreamWriter<CommitInfo> responseStream, ServerCallContext context)
    {
        request.Repo ??= request.To?.Repo ?? request.To?.Branch?.Repo ?? request.From?.Repo ?? request.From?.Branch?.Repo;
        return StreamWriter.WriteAllAsync(responseStream, _store.ListCommits(request, Caller(context)), context.CancellationToken);
    }

    public override async Task<SquashCommitResponse> SquashCommit(SquashCommitRequest request, ServerCallContext context)
    {
        // The cluster permission comes first, as in pachd's interceptor; recursive changes nothing without provenance.
        await _store.SquashCommitAsync(request.Commit, Caller(context), context.CancellationToken).ConfigureAwait(false);
        return new SquashCommitResponse();
    }

    // ---- branches ----

    public override async Task<Empty> CreateBranch(CreateBranchRequest request, ServerCallContext context)
    {
        var branch = request.Branch ?? throw PachErrors.New(StatusCode.InvalidArgument, "branch must be set");
        await _store.CreateBranchAsync(RepoKey.From(branch.Repo), branch.Name, request.Head, request.Provenance.Count > 0, Caller(context), context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    public override Task<BranchInfo> InspectBranch(InspectBranchRequest request, ServerCallContext context)
    {
        var branch = request.Branch ?? throw PachErrors.New(StatusCode.InvalidArgument, "branch must be set");
        return Task.FromResult(_store.InspectBranch(RepoKey.From(branch.Repo), branch.Name, Caller(context)));
    }

    public override Task ListBranch(ListBranchRequest request, IServerStreamWriter<BranchInfo> responseStream, ServerCallContext context) =>
        StreamWriter.WriteAllAsync(responseStream, _store.ListBranches(RepoKey.From(request.Repo), request.Reverse, Caller(context)), context.CancellationToken);

    public override async Task<Empty> DeleteBranch(DeleteBranchRequest request, ServerCallContext context)
    {
        var branch = request.Branch ?? throw PachErrors.New(StatusCode.InvalidArgument, "validate request: invalid DeleteBranchRequest.Branch: value is required");
        await _store.DeleteBranchAsync(RepoKey.From(branch.Repo), branch.Name, Caller(context), context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    // ---- files ----

    public override async Task<Empty> ModifyFile(IAsyncStreamReader<ModifyFileRequest> requestStream, ServerCallContext context)
    {
        var caller = Caller(context);
        var cancellationToken = context.CancellationToken;
        var applied = false;
        using var writer = new ChunkWriter(_store.Chunks, _options.ChunkSize, _options.InlineThreshold, _maxInlineBytesPerStream);
        try
        {
            var session = new ModifyFileSession(writer);
            while (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var request = requestStream.Current;
                try
                {
                    if (request.BodyCase == ModifyFileRequest.BodyOneofCase.SetCommit)
                    {
                        if (session.Target is not null)
                        {
                            throw PachErrors.New(StatusCode.Unknown, "cannot set commit");
                        }

                        _store.CheckWritable(request.SetCommit, caller);
                    }

                    await session.AcceptAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException)
                {
                    await DrainRejectedAsync(requestStream, cancellationToken).ConfigureAwait(false);
                    throw;
                }
            }

            var operations = await session.CompleteAsync(cancellationToken).ConfigureAwait(false);
            writer.SyncDirectories();
            var created = await _store.ApplyAsync(session.Target!, operations, writer.InlineChunks, caller, cancellationToken).ConfigureAwait(false);
            applied = true;
            if (created is not null)
            {
                // pachd does not say which commit a write made; a client that knows this trailer need not search for it.
                context.ResponseTrailers.Add(PachClient.CreatedCommitTrailer, created);
                if (context.RequestHeaders.Get(PachClient.DescribeFileHeader) is not null && DescribeLastAdded(session.Target!, created, operations, caller) is { } described)
                {
                    // Asked for (an extension, as for GetFile): the file written, as InspectFile at that commit would describe it.
                    context.ResponseTrailers.Add(PachClient.FileInfoHeader, described.ToByteArray());
                }
            }

            ServerLog.ModifyFileApplied(_logger, operations.Count, writer.Published.Count);
        }
        catch (IOException) when (cancellationToken.IsCancellationRequested)
        {
            // The client reset the stream (a write it abandoned, e.g. a body that failed verification): the status pachd
            // answers, not a server error with a stack trace in the log.
            throw new RpcException(new Status(StatusCode.Cancelled, "the client cancelled the ModifyFile stream"));
        }
        finally
        {
            // Applied: the metadata now refers to the chunks. Not applied: chunks nobody else refers to are deleted.
            await writer.DrainAsync().ConfigureAwait(false);
            _store.Chunks.Release(writer.Published, applied ? null : _store.IsChunkReferenced);
            if (!applied && writer.Published.Count > 0)
            {
                ServerLog.ModifyFileAborted(_logger, writer.Published.Count);
            }
        }

        return new Empty();
    }

    /// <summary>The last file <paramref name="operations"/> added, as it is in commit <paramref name="created"/>; null when it is no file there.</summary>
    private Gateway.Pachyderm.Protos.Pfs.FileInfo? DescribeLastAdded(Commit target, string created, IReadOnlyList<ModifyOperation> operations, Caller? caller)
    {
        if (operations.LastOrDefault(o => o is AddFileOperation) is not AddFileOperation last)
        {
            return null;
        }

        using var read = new ReadContext(_store, new Commit { Repo = target.Repo ?? target.Branch?.Repo, Id = created }, caller);
        return FileQueries.TryInspectFile(read, last.Path);
    }

    /// <summary>
    /// After rejecting a ModifyFile message, reads (and discards) what the client is still sending, up to a
    /// bound, so that a client in the middle of a small upload sees the error status rather than a reset stream.
    /// </summary>
    private static async Task DrainRejectedAsync(IAsyncStreamReader<ModifyFileRequest> requestStream, CancellationToken cancellationToken)
    {
        long drained = 0;
        try
        {
            while (drained < _maxDrainBytes && await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                drained += requestStream.Current.CalculateSize();
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException or RpcException)
        {
            // The client went away: the rejection stands either way.
        }
    }

    public override async Task GetFile(GetFileRequest request, IServerStreamWriter<BytesValue> responseStream, ServerCallContext context)
    {
        if (!string.IsNullOrEmpty(request.URL))
        {
            throw PachErrors.New(StatusCode.Unimplemented, "GetFile to a URL is not supported by localpachd");
        }

        if (request.Offset < 0)
        {
            throw PachErrors.New(StatusCode.InvalidArgument, "offset must not be negative");
        }

        var file = request.File ?? throw PachErrors.New(StatusCode.InvalidArgument, "file must be set");
        using var read = new ReadContext(_store, file.Commit ?? new Commit(), Caller(context));
        var (content, entry, path) = FileQueries.ResolveGetFile(read, file.Path);
        var cancellationToken = context.CancellationToken;
        if (context.RequestHeaders.Get(PachClient.DescribeFileHeader) is not null)
        {
            // An extension pachd 2.x does not have, sent only when asked: the file served, described as InspectFile
            // would, so that a reader needs no InspectFile of its own and what it is told matches the bytes it gets
            // (the same commit).
            await context.WriteResponseHeadersAsync(new Metadata { { PachClient.FileInfoHeader, read.Info(path, entry).ToByteArray() } }).ConfigureAwait(false);
        }
        // Rented when a chunk file is first read, no larger than that chunk needs: a small or inline file costs no
        // message-sized buffer (renting one per call keeps a pool of them alive on the large-object heap).
        byte[]? buffer = null;
        try
        {
            var offset = request.Offset;
            for (var index = 0; index < content.Chunks.Length; index++)
            {
                var chunk = content.Chunks[index];
                if (offset >= chunk.Size)
                {
                    offset -= chunk.Size;
                    continue;
                }

                if (_store.BeforeChunkRead is { } pause)
                {
                    await pause(index, cancellationToken).ConfigureAwait(false);
                }

                if (chunk.Size <= _options.InlineThreshold && PfsStore.InlineChunk(read.Connection, chunk.Hash) is { } inline)
                {
                    await responseStream.WriteAsync(new BytesValue { Value = UnsafeByteOperations.UnsafeWrap(inline.AsMemory((int)offset)) }, cancellationToken).ConfigureAwait(false);
                    offset = 0;
                    continue;
                }

                var stream = _store.Chunks.OpenRead(chunk.Hash);
                await using (stream.ConfigureAwait(false))
                {
                    stream.Seek(offset, SeekOrigin.Begin);
                    var remaining = chunk.Size - offset;
                    offset = 0;
                    if (buffer is null || (buffer.Length < _getFileMessageSize && buffer.Length < remaining))
                    {
                        if (buffer is not null)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }

                        buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(remaining, _getFileMessageSize));
                    }

                    while (remaining > 0)
                    {
                        var count = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(remaining, Math.Min(buffer.Length, _getFileMessageSize))), cancellationToken).ConfigureAwait(false);
                        if (count == 0)
                        {
                            throw PachErrors.New(StatusCode.DataLoss, $"chunk {chunk.Hash} is shorter than recorded");
                        }

                        remaining -= count;
                        // The message is serialized before WriteAsync completes, so the pooled buffer can be reused.
                        await responseStream.WriteAsync(new BytesValue { Value = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, count)) }, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (InvalidOperationException) when (cancellationToken.IsCancellationRequested)
        {
            // The client stopped reading (a download it abandoned): pachd's status, not a logged server error.
            throw StreamWriter.ClientWentAway();
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    public override Task<Gateway.Pachyderm.Protos.Pfs.FileInfo> InspectFile(InspectFileRequest request, ServerCallContext context)
    {
        var file = request.File ?? throw PachErrors.New(StatusCode.InvalidArgument, "file must be set");
        using var read = new ReadContext(_store, file.Commit ?? new Commit(), Caller(context));
        try
        {
            return Task.FromResult(FileQueries.Inspect(read, file.Path));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound && context.RequestHeaders.Get(PachClient.DescribeFileHeader) is not null)
        {
            // Asked for (an extension, as for GetFile): the missing path's nearest existing ancestor, so that a writer
            // learns in one call whether the path may become a file (no ancestor of it may be a file).
            throw new RpcException(e.Status, new Metadata { { PachClient.AncestorInfoTrailer, FileQueries.NearestAncestor(read, file.Path).ToByteArray() } });
        }
    }

    public override async Task ListFile(ListFileRequest request, IServerStreamWriter<Gateway.Pachyderm.Protos.Pfs.FileInfo> responseStream, ServerCallContext context)
    {
        var file = request.File ?? throw PachErrors.New(StatusCode.InvalidArgument, "file must be set");
        using var read = new ReadContext(_store, file.Commit ?? new Commit(), Caller(context));
        var items = FileQueries.List(read, file.Path, request.PaginationMarker?.Path, request.Number, request.Reverse);
        await StreamWriter.WriteAllAsync(responseStream, items, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task WalkFile(WalkFileRequest request, IServerStreamWriter<Gateway.Pachyderm.Protos.Pfs.FileInfo> responseStream, ServerCallContext context)
    {
        var file = request.File ?? throw PachErrors.New(StatusCode.InvalidArgument, "file must be set");
        using var read = new ReadContext(_store, file.Commit ?? new Commit(), Caller(context));
        var items = FileQueries.Walk(read, file.Path, request.PaginationMarker?.Path, request.Number, request.Reverse);
        await StreamWriter.WriteAllAsync(responseStream, items, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task GlobFile(GlobFileRequest request, IServerStreamWriter<Gateway.Pachyderm.Protos.Pfs.FileInfo> responseStream, ServerCallContext context)
    {
        using var read = new ReadContext(_store, request.Commit ?? new Commit(), Caller(context));
        var items = FileQueries.Glob(read, request.Pattern, request.PathRange?.Lower, request.PathRange?.Upper);
        await StreamWriter.WriteAllAsync(responseStream, items, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task DiffFile(DiffFileRequest request, IServerStreamWriter<DiffFileResponse> responseStream, ServerCallContext context)
    {
        using var query = FileDiffQuery.Open(_store, request, Caller(context));
        await StreamWriter.WriteAllAsync(responseStream, query.Responses(), context.CancellationToken).ConfigureAwait(false);
    }

    public override Task<ActivateAuthResponse> ActivateAuth(ActivateAuthRequest request, ServerCallContext context) =>
        Task.FromResult(new ActivateAuthResponse());

    private static Caller? Caller(ServerCallContext context) => AuthInterceptor.CallerOf(context);
}
