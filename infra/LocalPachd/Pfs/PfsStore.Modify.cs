using Gateway.Pachyderm.Protos.Pfs;
using LocalPachd.Storage;
using LocalPachd.Tree;
using Microsoft.Data.Sqlite;

namespace LocalPachd.Pfs;

/// <summary>Applying a buffered ModifyFile stream in one metadata transaction.</summary>
internal sealed partial class PfsStore
{
    private const int _openCommitRewritesPerCollection = 1000;
    private long _openCommitRewrites;

    /// <summary>Checks early (at set_commit) that the target repo exists and may be written.</summary>
    public void CheckWritable(Commit target, Caller? caller)
    {
        using var connection = _db.Open();
        var repo = GetRepo(connection, RepoKey.From(CommitRepo(target)));
        Authorize(caller, repo, "REPO_WRITE");
    }

    /// <summary>
    /// Applies the operations to the commit that <paramref name="target"/> resolves to: an open head receives
    /// them; a finished head (or a missing branch) gets one new commit holding them, finished at once; an
    /// explicit finished commit is refused.
    /// </summary>
    /// <returns>The id of the commit made for the operations; null when they went into an open commit.</returns>
    public async Task<string?> ApplyAsync(
        Commit target, IReadOnlyList<ModifyOperation> operations, IReadOnlyDictionary<Hash256, byte[]> inlineChunks, Caller? caller, CancellationToken cancellationToken)
    {
        string? created = null;
        var rewroteOpenCommit = false;
        using (var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false))
        {
            var connection = scope.Connection;
            var repo = GetRepo(connection, RepoKey.From(CommitRepo(target)));
            Authorize(caller, repo, "REPO_WRITE");
            var (commit, oneOff, branch) = ResolveWriteTarget(connection, repo, target);

            var reader = Reader(connection);
            var editor = new TreeEditor(reader, commit?.Root);
            foreach (var operation in operations)
            {
                Apply(connection, editor, operation, caller);
            }

            var (root, size) = editor.Fold();
            Persist(connection, editor, inlineChunks);
            var now = Now();
            if (commit is not null && !oneOff)
            {
                connection.Execute(
                    "UPDATE commits SET root = $root, size = $size WHERE repo_id = $r AND id = $id",
                    ("$root", root?.ToArray()), ("$size", size), ("$r", repo.Id), ("$id", commit.Id));
                rewroteOpenCommit = true;
            }
            else
            {
                created = InsertCommit(connection, repo.Id, commit, string.Empty, root, size, finished: true, caller);
                var existing = FindBranch(connection, repo.Id, branch!);
                UpsertBranch(connection, repo.Id, branch!, created, existing, now, caller);
            }

            scope.Commit();
            foreach (var (id, node) in editor.NewNodes)
            {
                _cache.Add(id, node.Node);
            }
        }

        if (created is not null)
        {
            _notifier.Notify();
        }

        // Each write into an open commit leaves its previous tree unreachable; collect now and then.
        if (rewroteOpenCommit && Interlocked.Increment(ref _openCommitRewrites) % _openCommitRewritesPerCollection == 0)
        {
            RaiseGarbage();
        }

        return created;
    }

    /// <summary>(commit to write into or parent of the new commit, whether a new commit is needed, branch for it).</summary>
    private (CommitRecord? Commit, bool OneOff, string? Branch) ResolveWriteTarget(SqliteConnection connection, RepoRecord repo, Commit target)
    {
        var id = target.Id ?? string.Empty;
        var branch = target.Branch?.Name ?? string.Empty;
        if (id.Length > 0 && (branch.Length > 0 || PathRules.IsCommitId(id) || id.Contains('^', StringComparison.Ordinal) || FindCommit(connection, repo.Id, id) is not null))
        {
            var explicitCommit = ResolveCommit(connection, repo, target);
            if (explicitCommit.IsFinished)
            {
                throw PachErrors.CommitFinished(repo.ToString(), explicitCommit.Id);
            }

            return (explicitCommit, false, null);
        }

        if (branch.Length == 0)
        {
            // pachd treats a non-id string in Commit.id (with no branch) as a branch name.
            branch = id;
        }

        if (!PathRules.IsValidName(branch))
        {
            throw PachErrors.InvalidName(branch);
        }

        var existing = FindBranch(connection, repo.Id, branch);
        if (existing is null)
        {
            return (null, true, branch);
        }

        var head = GetCommit(connection, repo, existing.Head);
        return head.IsFinished ? (head, true, branch) : (head, false, branch);
    }

    private void Apply(SqliteConnection connection, TreeEditor editor, ModifyOperation operation, Caller? caller)
    {
        switch (operation)
        {
            case AddFileOperation add:
                editor.AppendFile(add.Path, add.Chunks);
                break;
            case DeleteFileOperation { Directory: true } delete:
                editor.DeleteDirectory(delete.Path);
                break;
            case DeleteFileOperation delete:
                editor.DeleteFile(delete.Path);
                break;
            case CopyFileOperation copy:
                var sourceCommit = copy.Source.Commit ?? throw PachErrors.New(Grpc.Core.StatusCode.InvalidArgument, "copy source must name a commit");
                var sourceRepo = GetRepo(connection, RepoKey.From(CommitRepo(sourceCommit)));
                Authorize(caller, sourceRepo, "REPO_READ");
                var source = ResolveCommit(connection, sourceRepo, sourceCommit);
                var path = PathRules.Components(copy.Source.Path);
                var entry = Reader(connection).Lookup(source.Root, path)
                    ?? throw PachErrors.FileNotFound(PathRules.Clean(copy.Source.Path), sourceRepo.ToString(), source.Id);
                if (entry.IsDirectory)
                {
                    editor.PutDirectory(copy.Destination, entry, copy.Append);
                }
                else
                {
                    if (copy.Destination.Length == 0)
                    {
                        throw PachErrors.New(Grpc.Core.StatusCode.Unknown, "cannot copy a file onto the root directory");
                    }

                    editor.PutFile(copy.Destination, entry, copy.Append);
                }

                break;
            default:
                throw new InvalidOperationException("unknown operation");
        }
    }

    private static void Persist(SqliteConnection connection, TreeEditor editor, IReadOnlyDictionary<Hash256, byte[]> inlineChunks)
    {
        if (editor.NewNodes.Count > 0)
        {
            using var insert = connection.Prepare("INSERT OR IGNORE INTO nodes(id, data) VALUES ($id, $data)");
            var id = insert.Parameters.Add("$id", SqliteType.Blob);
            var data = insert.Parameters.Add("$data", SqliteType.Blob);
            foreach (var (nodeId, node) in editor.NewNodes)
            {
                id.Value = nodeId.ToArray();
                data.Value = node.Bytes;
                insert.ExecuteNonQuery();
            }
        }

        if (editor.NewContents.Count > 0)
        {
            using var insert = connection.Prepare("INSERT OR IGNORE INTO contents(id, size, chunks) VALUES ($id, $size, $chunks)");
            var id = insert.Parameters.Add("$id", SqliteType.Blob);
            var size = insert.Parameters.Add("$size", SqliteType.Integer);
            var chunks = insert.Parameters.Add("$chunks", SqliteType.Blob);
            using var insertChunk = connection.Prepare("INSERT OR IGNORE INTO chunks(hash, size, data) VALUES ($h, $s, $d)");
            var hash = insertChunk.Parameters.Add("$h", SqliteType.Blob);
            var chunkSize = insertChunk.Parameters.Add("$s", SqliteType.Integer);
            var chunkData = insertChunk.Parameters.Add("$d", SqliteType.Blob);
            foreach (var content in editor.NewContents.Values)
            {
                id.Value = content.Id.ToArray();
                size.Value = content.Size;
                chunks.Value = content.EncodeChunks();
                insert.ExecuteNonQuery();
                foreach (var chunk in content.Chunks)
                {
                    hash.Value = chunk.Hash.ToArray();
                    chunkSize.Value = chunk.Size;
                    chunkData.Value = inlineChunks.TryGetValue(chunk.Hash, out var bytes) ? bytes : DBNull.Value;
                    insertChunk.ExecuteNonQuery();
                }
            }
        }
    }

    /// <summary>The bytes of a chunk stored inline in the metadata database, or null when it is a chunk file.</summary>
    public static byte[]? InlineChunk(SqliteConnection connection, Hash256 hash) =>
        connection.Scalar("SELECT data FROM chunks WHERE hash = $h", ("$h", hash.ToArray())) as byte[];

    /// <summary>Whether the metadata knows a chunk (used when an aborted stream releases its chunks).</summary>
    public bool IsChunkReferenced(Hash256 hash)
    {
        using var connection = _db.Open();
        return connection.Scalar("SELECT 1 FROM chunks WHERE hash = $h", ("$h", hash.ToArray())) is not null;
    }
}
