using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using LocalPachd.Storage;
using Microsoft.Data.Sqlite;

namespace LocalPachd.Pfs;

/// <summary>Commits and branches.</summary>
internal sealed partial class PfsStore
{
    private const string _commitColumns = "repo_id, id, seq, parent, description, started, finishing, finished, root, size, error, created_by";

    // ---- branches ----

    public async Task CreateBranchAsync(RepoKey key, string branch, Commit? head, bool hasProvenance, Caller? caller, CancellationToken cancellationToken)
    {
        if (!PathRules.IsValidName(branch))
        {
            throw PachErrors.InvalidName(branch);
        }

        if (hasProvenance)
        {
            throw PachErrors.New(StatusCode.Unimplemented, "branch provenance is not supported by localpachd");
        }

        using var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false);
        var connection = scope.Connection;
        var repo = GetRepo(connection, key);
        Authorize(caller, repo, "REPO_CREATE_BRANCH");
        var existing = FindBranch(connection, repo.Id, branch);
        var now = Now();
        if (head is not null && (head.Id.Length > 0 || !string.IsNullOrEmpty(head.Branch?.Name)))
        {
            var headRepo = head.Repo is null && head.Branch?.Repo is null ? repo : GetRepo(connection, RepoKey.From(head.Repo ?? head.Branch!.Repo));
            if (headRepo.Id != repo.Id)
            {
                throw PachErrors.New(StatusCode.InvalidArgument, $"branch and head commit must belong to the same repo ({repo} vs {headRepo})");
            }

            var commit = ResolveCommit(connection, repo, head);
            UpsertBranch(connection, repo.Id, branch, commit.Id, existing, now, caller);
        }
        else if (existing is null)
        {
            // A branch created without a head gets a new, empty, finished commit.
            var id = InsertCommit(connection, repo.Id, null, string.Empty, null, 0, finished: true, caller);
            UpsertBranch(connection, repo.Id, branch, id, null, now, caller);
        }

        scope.Commit();
    }

    public BranchInfo InspectBranch(RepoKey key, string branch, Caller? caller)
    {
        using var connection = _db.Open();
        var repo = FindRepo(connection, key) ?? throw PachErrors.BranchNotFound(branch, key.ToString());
        Authorize(caller, repo, "REPO_READ");
        var record = FindBranch(connection, repo.Id, branch) ?? throw PachErrors.BranchNotFound(branch, repo.ToString());
        return ToBranchInfo(repo, record);
    }

    public List<BranchInfo> ListBranches(RepoKey key, bool reverse, Caller? caller)
    {
        using var connection = _db.Open();
        var repo = GetRepo(connection, key);
        Authorize(caller, repo, "REPO_LIST_BRANCH");
        var branches = connection.Query(
            "SELECT repo_id, name, head, created, updated, created_by FROM branches WHERE repo_id = $r ORDER BY created DESC, name",
            MapBranch, ("$r", repo.Id));
        if (reverse)
        {
            branches.Reverse();
        }

        return branches.ConvertAll(b => ToBranchInfo(repo, b));
    }

    public async Task DeleteBranchAsync(RepoKey key, string branch, Caller? caller, CancellationToken cancellationToken)
    {
        using var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false);
        var repo = GetRepo(scope.Connection, key);
        Authorize(caller, repo, "REPO_DELETE_BRANCH");
        scope.Connection.Execute("DELETE FROM branches WHERE repo_id = $r AND name = $n", ("$r", repo.Id), ("$n", branch));
        scope.Commit();
    }

    private static BranchRecord? FindBranch(SqliteConnection connection, long repoId, string name) => connection.QuerySingle(
        "SELECT repo_id, name, head, created, updated, created_by FROM branches WHERE repo_id = $r AND name = $n",
        MapBranch, ("$r", repoId), ("$n", name));

    private static BranchRecord MapBranch(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetNullableString(5));

    private static void UpsertBranch(SqliteConnection connection, long repoId, string name, string head, BranchRecord? existing, long now, Caller? caller)
    {
        if (existing is null)
        {
            connection.Execute(
                "INSERT INTO branches(repo_id, name, head, created, updated, created_by) VALUES ($r, $n, $h, $t, $t, $c)",
                ("$r", repoId), ("$n", name), ("$h", head), ("$t", now), ("$c", caller?.Principal));
        }
        else
        {
            connection.Execute(
                "UPDATE branches SET head = $h, updated = $t WHERE repo_id = $r AND name = $n",
                ("$r", repoId), ("$n", name), ("$h", head), ("$t", now));
        }
    }

    private static BranchInfo ToBranchInfo(RepoRecord repo, BranchRecord branch) => new()
    {
        Branch = new Branch { Repo = repo.ToProto(), Name = branch.Name },
        Head = new Commit { Repo = repo.ToProto(), Id = branch.Head },
        CreatedBy = branch.CreatedBy ?? string.Empty,
        CreatedAt = ToTimestamp(branch.Created),
        UpdatedAt = ToTimestamp(branch.Updated),
    };

    // ---- commits ----

    public async Task<Commit> StartCommitAsync(RepoKey key, string branch, Commit? parent, string description, Caller? caller, CancellationToken cancellationToken)
    {
        if (!PathRules.IsValidName(branch))
        {
            throw PachErrors.InvalidName(branch);
        }

        using var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false);
        var connection = scope.Connection;
        var repo = GetRepo(connection, key);
        Authorize(caller, repo, "REPO_WRITE");
        var existing = FindBranch(connection, repo.Id, branch);
        CommitRecord? parentCommit = null;
        if (parent is not null && (parent.Id.Length > 0 || !string.IsNullOrEmpty(parent.Branch?.Name)))
        {
            parentCommit = ResolveCommit(connection, repo, parent);
        }
        else if (existing is not null)
        {
            parentCommit = GetCommit(connection, repo, existing.Head);
        }

        if (parentCommit is { IsFinished: false })
        {
            throw PachErrors.New(StatusCode.Unknown, $"parent commit {repo}@{parentCommit.Id} has not been finished");
        }

        var id = InsertCommit(connection, repo.Id, parentCommit, description, parentCommit?.Root, parentCommit?.Size ?? 0, finished: false, caller);
        UpsertBranch(connection, repo.Id, branch, id, existing, Now(), caller);
        scope.Commit();
        return new Commit { Repo = repo.ToProto(), Id = id };
    }

    public async Task FinishCommitAsync(Commit commit, string description, string error, Caller? caller, CancellationToken cancellationToken)
    {
        using (var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false))
        {
            var connection = scope.Connection;
            var repo = GetRepo(connection, RepoKey.From(CommitRepo(commit)));
            Authorize(caller, repo, "REPO_WRITE");
            var record = ResolveCommit(connection, repo, commit);
            if (record.IsFinished)
            {
                throw PachErrors.CommitFinished(repo.ToString(), record.Id);
            }

            var now = Now();
            connection.Execute(
                "UPDATE commits SET finishing = $t, finished = $t, error = $e, description = CASE WHEN $d = '' THEN description ELSE $d END WHERE repo_id = $r AND id = $id",
                ("$t", now), ("$e", error), ("$d", description), ("$r", repo.Id), ("$id", record.Id));
            scope.Commit();
        }

        _notifier.Notify();
    }

    /// <summary>
    /// pfs_v2.SquashCommit: deletes a commit, keeping its data in its children (every commit holds its full tree, so
    /// they lose nothing). In one transaction: the children are re-parented to its parent, branches whose head it was
    /// move to its parent (to one new empty commit when it had none), and its row goes; then a collection frees what
    /// only it referred to. Refused, changing nothing, for a commit without children (its data would be lost) or with
    /// a child still open. pachd checks the cluster permission REPO_DELETE_COMMIT first, before looking at the commit.
    /// LocalPachd has no provenance, so pachd's <c>recursive</c> flag changes nothing here.
    /// </summary>
    public async Task SquashCommitAsync(Commit? commit, Caller? caller, CancellationToken cancellationToken)
    {
        AuthorizeCluster(caller, "REPO_DELETE_COMMIT");
        if (commit is null)
        {
            throw PachErrors.New(StatusCode.InvalidArgument, "commit must be set");
        }

        using (var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false))
        {
            var connection = scope.Connection;
            var repo = GetRepo(connection, RepoKey.From(CommitRepo(commit)));
            var record = ResolveCommit(connection, repo, commit);
            var children = connection.Query(
                ChildrenQuery,
                r => (Id: r.GetString(0), Finishing: r.GetNullableInt64(1), Finished: r.GetNullableInt64(2)),
                ("$r", repo.Id), ("$p", record.Id));
            if (children.Count == 0)
            {
                throw PachErrors.SquashWithoutChildren(repo.ToString(), record.Id);
            }

            foreach (var child in children)
            {
                if (child.Finished is null)
                {
                    throw PachErrors.SquashUnfinishedChild(repo.ToString(), child.Id, child.Finishing is not null);
                }
            }

            connection.Execute(
                "UPDATE commits SET parent = $gp WHERE repo_id = $r AND parent = $p",
                ("$gp", record.Parent), ("$r", repo.Id), ("$p", record.Id));
            if (connection.Scalar("SELECT 1 FROM branches WHERE repo_id = $r AND head = $h", ("$r", repo.Id), ("$h", record.Id)) is not null)
            {
                var head = record.Parent ?? InsertCommit(connection, repo.Id, null, string.Empty, null, 0, finished: true, caller);
                connection.Execute(
                    "UPDATE branches SET head = $new, updated = $t WHERE repo_id = $r AND head = $old",
                    ("$new", head), ("$t", Now()), ("$r", repo.Id), ("$old", record.Id));
            }

            connection.Execute("DELETE FROM commits WHERE repo_id = $r AND id = $id", ("$r", repo.Id), ("$id", record.Id));
            scope.Commit();
        }

        // No InspectCommit wait needs waking: waits are only for unfinished commits, and a squash changes none (the
        // squashed commit has children, so it is finished; only branches whose head it was move, to finished commits).
        RaiseGarbage();
    }

    public async Task<CommitInfo> InspectCommitAsync(Commit commit, CommitState wait, Caller? caller, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = _notifier.NextChange;
            CommitInfo info;
            using (var connection = _db.Open())
            {
                var repo = GetRepo(connection, RepoKey.From(CommitRepo(commit)));
                Authorize(caller, repo, "REPO_INSPECT_COMMIT");
                var record = ResolveCommit(connection, repo, commit);
                info = ToCommitInfo(connection, repo, record);
                if (wait < CommitState.Finishing || record.IsFinished)
                {
                    return info;
                }
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A commit's children ($r, $p), oldest first. The commits_by_parent_seq index serves it in the number of children:
    /// every listed commit runs it, so it must not cost the length of the history.
    /// </summary>
    internal const string ChildrenQuery = "SELECT id, finishing, finished FROM commits WHERE repo_id = $r AND parent = $p ORDER BY seq";

    public List<CommitInfo> ListCommits(ListCommitRequest request, Caller? caller)
    {
        using var connection = _db.Open();
        var repo = GetRepo(connection, RepoKey.From(request.Repo));
        Authorize(caller, repo, "REPO_LIST_COMMIT");
        var limit = request.Number <= 0 ? long.MaxValue : request.Number;
        var startedBefore = request.StartedTime?.ToDateTimeOffset().UtcTicks;

        // pachd: walk back from "to" (the newest commit; default: every commit) down to "from" (exclusive).
        string? stop = null;
        if (IsSet(request.From))
        {
            stop = ResolveCommit(connection, repo, request.From).Id;
        }

        var commits = new List<CommitRecord>();
        if (IsSet(request.To))
        {
            var current = ResolveCommit(connection, repo, request.To);
            while (current is not null && current.Id != stop && commits.Count < limit)
            {
                if (startedBefore is null || current.Started < startedBefore)
                {
                    commits.Add(current);
                }

                current = current.Parent is null ? null : FindCommit(connection, repo.Id, current.Parent);
            }
        }
        else
        {
            foreach (var record in connection.Query(
                $"SELECT {_commitColumns} FROM commits WHERE repo_id = $r ORDER BY seq DESC", MapCommit, ("$r", repo.Id)))
            {
                if (commits.Count >= limit || record.Id == stop)
                {
                    break;
                }

                if (startedBefore is null || record.Started < startedBefore)
                {
                    commits.Add(record);
                }
            }
        }

        if (request.Reverse)
        {
            commits.Reverse();
        }

        return commits.ConvertAll(c => ToCommitInfo(connection, repo, c));
    }

    private CommitInfo ToCommitInfo(SqliteConnection connection, RepoRecord repo, CommitRecord record)
    {
        var info = new CommitInfo
        {
            Commit = new Commit { Repo = repo.ToProto(), Id = record.Id },
            Origin = new CommitOrigin { Kind = OriginKind.User },
            Description = record.Description,
            Started = ToTimestamp(record.Started),
            Finishing = ToTimestamp(record.Finishing),
            Finished = ToTimestamp(record.Finished),
            Error = record.Error,
            SizeBytesUpperBound = record.Size,
            Details = new CommitInfo.Types.Details { SizeBytes = record.Size },
            CreatedBy = record.CreatedBy ?? string.Empty,
            CreatedAt = ToTimestamp(record.Started),
            UpdatedAt = ToTimestamp(record.Finished ?? record.Started),
        };
        if (record.Parent is not null)
        {
            info.ParentCommit = new Commit { Repo = repo.ToProto(), Id = record.Parent };
        }

        foreach (var child in connection.Query(ChildrenQuery, r => r.GetString(0), ("$r", repo.Id), ("$p", record.Id)))
        {
            info.ChildCommits.Add(new Commit { Repo = repo.ToProto(), Id = child });
        }

        return info;
    }

    private static bool IsSet(Commit? commit) => commit is not null && (commit.Id.Length > 0 || !string.IsNullOrEmpty(commit.Branch?.Name));

    /// <summary>The repo a wire commit names (Commit.repo, else the branch's repo).</summary>
    public static Repo? CommitRepo(Commit commit) => commit.Repo ?? commit.Branch?.Repo;

    /// <summary>
    /// Resolves a wire commit: an id, a branch head (id empty, or a non-id string in <c>id</c>), with an optional
    /// ancestry suffix <c>^N</c>.
    /// </summary>
    public CommitRecord ResolveCommit(SqliteConnection connection, RepoRecord repo, Commit commit)
    {
        var id = commit.Id ?? string.Empty;
        var branch = commit.Branch?.Name ?? string.Empty;
        var ancestors = 0;
        var caret = id.IndexOf('^', StringComparison.Ordinal);
        if (caret >= 0)
        {
            var suffix = id[(caret + 1)..];
            ancestors = suffix.Length == 0 ? 1 : int.TryParse(suffix, out var n) ? n : suffix.All(c => c == '^') ? suffix.Length + 1 : -1;
            if (ancestors < 0)
            {
                throw PachErrors.CommitNotFound(repo.ToString(), id);
            }

            id = id[..caret];
        }

        CommitRecord? record;
        if (id.Length == 0)
        {
            if (branch.Length == 0)
            {
                throw PachErrors.New(StatusCode.InvalidArgument, "commit must name a branch or an id");
            }

            var b = FindBranch(connection, repo.Id, branch) ?? throw PachErrors.BranchNotFound(branch, repo.ToString());
            record = GetCommit(connection, repo, b.Head);
        }
        else
        {
            record = FindCommit(connection, repo.Id, id);
            if (record is null && !PathRules.IsCommitId(id) && FindBranch(connection, repo.Id, id) is { } named)
            {
                record = GetCommit(connection, repo, named.Head);
            }

            if (record is null)
            {
                throw PachErrors.CommitNotFound(repo.ToString(), commit.Id ?? string.Empty);
            }
        }

        for (var i = 0; i < ancestors; i++)
        {
            record = record.Parent is null ? null : FindCommit(connection, repo.Id, record.Parent);
            if (record is null)
            {
                throw PachErrors.CommitNotFound(repo.ToString(), commit.Id ?? string.Empty);
            }
        }

        return record;
    }

    private static CommitRecord GetCommit(SqliteConnection connection, RepoRecord repo, string id) =>
        FindCommit(connection, repo.Id, id) ?? throw PachErrors.CommitNotFound(repo.ToString(), id);

    private static CommitRecord? FindCommit(SqliteConnection connection, long repoId, string id) => connection.QuerySingle(
        $"SELECT {_commitColumns} FROM commits WHERE repo_id = $r AND id = $id", MapCommit, ("$r", repoId), ("$id", id));

    private static CommitRecord MapCommit(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetNullableString(3), r.GetString(4), r.GetInt64(5),
        r.GetNullableInt64(6), r.GetNullableInt64(7), r.GetNullableHash(8), r.GetInt64(9), r.GetString(10), r.GetNullableString(11));

    private string InsertCommit(
        SqliteConnection connection, long repoId, CommitRecord? parent, string description, Hash256? root, long size, bool finished, Caller? caller)
    {
        var id = Guid.NewGuid().ToString("N");
        var now = Now();
        connection.Execute(
            $"INSERT INTO commits({_commitColumns}) VALUES ($r, $id, $seq, $p, $d, $t, $f, $f, $root, $size, '', $c)",
            ("$r", repoId), ("$id", id), ("$seq", ++_nextSeq), ("$p", parent?.Id), ("$d", description), ("$t", now),
            ("$f", finished ? now : null), ("$root", root?.ToArray()), ("$size", size), ("$c", caller?.Principal));
        return id;
    }
}
