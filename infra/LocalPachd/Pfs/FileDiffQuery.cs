using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using LocalPachd.Tree;

namespace LocalPachd.Pfs;

/// <summary>
/// DiffFile: the regular files that differ between two commits' trees, paired by full path, in path order. Like
/// pachd 2.x: REPO_READ on both repos; without <c>old_file</c>, the parent of the new commit at the same path (no parent:
/// an empty tree); each path restricts its side to that file or that directory's contents, and a path that exists on
/// neither side yields nothing. Unlike pachd, directories are not reported, and <c>shallow</c> (ignored by pachd 2.x)
/// is refused.
/// </summary>
internal sealed class FileDiffQuery : IDisposable
{
    private readonly ReadSnapshot _snapshot;
    private readonly ReadContext _new;
    private readonly ReadContext? _old;
    private readonly string[] _newScope;
    private readonly string[] _oldScope;

    private FileDiffQuery(ReadSnapshot snapshot, ReadContext @new, ReadContext? old, string[] newScope, string[] oldScope)
    {
        _snapshot = snapshot;
        _new = @new;
        _old = old;
        _newScope = newScope;
        _oldScope = oldScope;
    }

    /// <summary>Validates the request and resolves both sides (errors are thrown here, before anything is streamed).</summary>
    public static FileDiffQuery Open(PfsStore store, DiffFileRequest request, Caller? caller)
    {
        var newFile = request.NewFile ?? throw PachErrors.New(StatusCode.InvalidArgument, "file cannot be nil");
        var newCommit = newFile.Commit ?? throw PachErrors.New(StatusCode.InvalidArgument, "check new file commit: commit cannot be nil");
        var oldFile = request.OldFile;
        if (oldFile is not null && oldFile.Commit is null)
        {
            throw PachErrors.New(StatusCode.InvalidArgument, "check old file commit: commit cannot be nil");
        }

        if (request.Shallow)
        {
            throw PachErrors.New(StatusCode.Unimplemented, "DiffFile with shallow is not supported by localpachd (pachd 2.x ignores it)");
        }

        var snapshot = ReadSnapshot.Open(store);
        var connection = snapshot.Connection;
        try
        {
            // pachd checks read access to both repos before it resolves either commit.
            var oldRepo = oldFile is null ? null : store.GetRepo(connection, RepoKey.From(PfsStore.CommitRepo(oldFile.Commit)));
            var newRepo = store.GetRepo(connection, RepoKey.From(PfsStore.CommitRepo(newCommit)));
            if (oldRepo is not null)
            {
                PfsStore.Authorize(caller, oldRepo, "REPO_READ");
            }

            PfsStore.Authorize(caller, newRepo, "REPO_READ");
            var newRecord = store.ResolveCommit(connection, newRepo, newCommit);
            var newScope = PathRules.Components(newFile.Path);
            ReadContext? old = null;
            string[] oldScope;
            if (oldFile is not null)
            {
                old = new ReadContext(store, connection, oldRepo!, store.ResolveCommit(connection, oldRepo!, oldFile.Commit));
                oldScope = PathRules.Components(oldFile.Path);
            }
            else
            {
                if (newRecord.Parent is { } parent)
                {
                    old = new ReadContext(store, connection, newRepo, store.ResolveCommit(connection, newRepo, new Commit { Id = parent }));
                }

                oldScope = newScope;
            }

            // Both sides read through this one snapshot, which the query owns.
            return new FileDiffQuery(snapshot, new ReadContext(store, connection, newRepo, newRecord), old, newScope, oldScope);
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    /// <summary>The pairs, computed lazily while they are streamed.</summary>
    public IEnumerable<DiffFileResponse> Responses()
    {
        var diff = new TreeDiff(_new.Reader);
        foreach (var change in diff.Files(_old?.Commit.Root, _oldScope, _new.Commit.Root, _newScope))
        {
            yield return new DiffFileResponse
            {
                NewFile = change.New is { } n ? _new.Info(change.Path, n) : null,
                OldFile = change.Old is { } o ? _old!.Info(change.Path, o) : null,
            };
        }
    }

    public void Dispose() => _snapshot.Dispose();
}
