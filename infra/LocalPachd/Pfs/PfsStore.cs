using Gateway.Pachyderm.Protos.Pfs;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LocalPachd.Storage;
using LocalPachd.Tree;
using Microsoft.Data.Sqlite;

namespace LocalPachd.Pfs;

/// <summary>
/// PFS semantics over the metadata database and the chunk store: projects, repos, branches, commits and
/// ModifyFile application. File reads live in <see cref="FileQueries"/>.
/// </summary>
internal sealed partial class PfsStore
{
    public const string DefaultProject = "default";

    private readonly MetadataDb _db;
    private readonly ChunkStore _chunks;
    private readonly NodeCache _cache;
    private readonly TimeProvider _time;
    private readonly CommitNotifier _notifier = new();
    private long _nextSeq;

    public PfsStore(MetadataDb db, ChunkStore chunks, NodeCache cache, TimeProvider time)
    {
        _db = db;
        _chunks = chunks;
        _cache = cache;
        _time = time;
        using var connection = db.Open();
        connection.Execute(
            "INSERT OR IGNORE INTO projects(name, description, created) VALUES ($n, '', $t)",
            ("$n", DefaultProject), ("$t", Now()));
        _nextSeq = (long)(connection.Scalar("SELECT IFNULL(MAX(seq), 0) FROM commits") ?? 0L);
    }

    /// <summary>Raised (outside any lock) after data was dropped, so the collector can reclaim space.</summary>
    public event Action? GarbageCreated;

    public MetadataDb Db => _db;

    public ChunkStore Chunks => _chunks;

    public NodeCache Cache => _cache;

    /// <summary>
    /// Test seam: awaited by GetFile before it reads each chunk (with the chunk's index), after the file was
    /// resolved. Lets a test run a collection exactly between resolving a file and opening its chunks.
    /// </summary>
    public Func<int, CancellationToken, Task>? BeforeChunkRead { get; set; }

    public long Now() => _time.GetUtcNow().UtcTicks;

    public static Timestamp ToTimestamp(long ticks) => Timestamp.FromDateTimeOffset(new DateTimeOffset(ticks, TimeSpan.Zero));

    public static Timestamp? ToTimestamp(long? ticks) => ticks is { } t ? ToTimestamp(t) : null;

    public TreeReader Reader(SqliteConnection connection) => new(new NodeSource(_cache, connection));

    // ---- projects ----

    public async Task CreateProjectAsync(string name, string description, bool update, Caller? caller, CancellationToken cancellationToken)
    {
        if (!PathRules.IsValidProjectName(name))
        {
            throw PachErrors.InvalidName(name);
        }

        using var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false);
        var exists = scope.Connection.Scalar("SELECT 1 FROM projects WHERE name = $n", ("$n", name)) is not null;
        if (exists && !update)
        {
            throw PachErrors.ProjectExists(name);
        }

        if (exists)
        {
            scope.Connection.Execute("UPDATE projects SET description = $d WHERE name = $n", ("$d", description), ("$n", name));
        }
        else
        {
            scope.Connection.Execute(
                "INSERT INTO projects(name, description, created, created_by) VALUES ($n, $d, $t, $c)",
                ("$n", name), ("$d", description), ("$t", Now()), ("$c", caller?.Principal));
        }

        scope.Commit();
    }

    public ProjectInfo InspectProject(string name)
    {
        using var connection = _db.Open();
        return connection.QuerySingle(
            "SELECT name, description, created, created_by FROM projects WHERE name = $n", MapProject, ("$n", name))
            ?? throw PachErrors.ProjectNotFound(name);
    }

    public List<ProjectInfo> ListProjects()
    {
        using var connection = _db.Open();
        return connection.Query("SELECT name, description, created, created_by FROM projects ORDER BY name", MapProject);
    }

    public async Task DeleteProjectAsync(string name, bool force, Caller? caller, CancellationToken cancellationToken)
    {
        using (var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false))
        {
            var createdBy = scope.Connection.QuerySingle(
                "SELECT IFNULL(created_by, '') FROM projects WHERE name = $n", r => r.GetString(0), ("$n", name))
                ?? throw PachErrors.ProjectNotFound(name);
            if (caller is { IsAdmin: false } && createdBy != caller.Principal)
            {
                throw PachErrors.NotAuthorized(caller.Principal, "PROJECT_DELETE", $"PROJECT {name}");
            }

            var repos = scope.Connection.Query("SELECT id FROM repos WHERE project = $p", r => r.GetInt64(0), ("$p", name));
            if (repos.Count > 0 && !force)
            {
                throw PachErrors.New(StatusCode.FailedPrecondition, $"cannot delete project \"{name}\": it still contains {repos.Count} repo(s)");
            }

            foreach (var id in repos)
            {
                DeleteRepoRows(scope.Connection, id);
            }

            scope.Connection.Execute("DELETE FROM projects WHERE name = $n", ("$n", name));
            scope.Commit();
        }

        GarbageCreated?.Invoke();
    }

    private static ProjectInfo MapProject(SqliteDataReader r) => new()
    {
        Project = new Project { Name = r.GetString(0) },
        Description = r.GetString(1),
        CreatedAt = ToTimestamp(r.GetInt64(2)),
        CreatedBy = r.GetNullableString(3) ?? string.Empty,
    };

    // ---- repos ----

    public async Task CreateRepoAsync(RepoKey key, string description, bool update, Caller? caller, CancellationToken cancellationToken)
    {
        if (!PathRules.IsValidName(key.Name))
        {
            throw PachErrors.InvalidName(key.Name);
        }

        using var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false);
        var connection = scope.Connection;
        if (connection.Scalar("SELECT 1 FROM projects WHERE name = $n", ("$n", key.Project)) is null)
        {
            throw PachErrors.ProjectNotFound(key.Project);
        }

        var existing = FindRepo(connection, key);
        if (existing is not null)
        {
            if (!update)
            {
                throw PachErrors.RepoExists(key.ToString());
            }

            Authorize(caller, existing, "REPO_WRITE");
            connection.Execute("UPDATE repos SET description = $d WHERE id = $id", ("$d", description), ("$id", existing.Id));
        }
        else
        {
            connection.Execute(
                "INSERT INTO repos(project, name, type, description, created, owner) VALUES ($p, $n, $t, $d, $c, $o)",
                ("$p", key.Project), ("$n", key.Name), ("$t", key.Type), ("$d", description), ("$c", Now()), ("$o", caller?.Principal));
        }

        scope.Commit();
    }

    public RepoInfo InspectRepo(RepoKey key, Caller? caller)
    {
        using var connection = _db.Open();
        var repo = GetRepo(connection, key);
        Authorize(caller, repo, "REPO_READ");
        return ToRepoInfo(connection, repo, caller);
    }

    public List<RepoInfo> ListRepos(string type, IReadOnlyCollection<string> projects, Caller? caller)
    {
        using var connection = _db.Open();
        var repos = connection.Query(
            "SELECT id, project, name, type, description, created, owner FROM repos ORDER BY project, name, type", MapRepo);
        var result = new List<RepoInfo>();
        foreach (var repo in repos)
        {
            if ((type.Length == 0 || repo.Type == type) && (projects.Count == 0 || projects.Contains(repo.Project)))
            {
                result.Add(ToRepoInfo(connection, repo, caller));
            }
        }

        return result;
    }

    public async Task<bool> DeleteRepoAsync(RepoKey key, Caller? caller, CancellationToken cancellationToken)
    {
        using (var scope = await WriteScope.BeginAsync(_db, cancellationToken).ConfigureAwait(false))
        {
            var repo = GetRepo(scope.Connection, key);
            Authorize(caller, repo, "REPO_DELETE");
            DeleteRepoRows(scope.Connection, repo.Id);
            scope.Commit();
        }

        GarbageCreated?.Invoke();
        return true;
    }

    private static void DeleteRepoRows(SqliteConnection connection, long repoId)
    {
        connection.Execute("DELETE FROM branches WHERE repo_id = $r", ("$r", repoId));
        connection.Execute("DELETE FROM commits WHERE repo_id = $r", ("$r", repoId));
        connection.Execute("DELETE FROM repos WHERE id = $r", ("$r", repoId));
    }

    public RepoRecord GetRepo(SqliteConnection connection, RepoKey key) =>
        FindRepo(connection, key) ?? throw PachErrors.RepoNotFound(key.ToString());

    public static RepoRecord? FindRepo(SqliteConnection connection, RepoKey key) => connection.QuerySingle(
        "SELECT id, project, name, type, description, created, owner FROM repos WHERE project = $p AND name = $n AND type = $t",
        MapRepo, ("$p", key.Project), ("$n", key.Name), ("$t", key.Type));

    private static RepoRecord MapRepo(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), r.GetNullableString(6));

    private RepoInfo ToRepoInfo(SqliteConnection connection, RepoRecord repo, Caller? caller)
    {
        var info = new RepoInfo
        {
            Repo = repo.ToProto(),
            Created = ToTimestamp(repo.Created),
            Description = repo.Description,
            Details = new RepoInfo.Types.Details(),
        };
        foreach (var name in connection.Query(
            "SELECT name FROM branches WHERE repo_id = $r ORDER BY created DESC, name", r => r.GetString(0), ("$r", repo.Id)))
        {
            info.Branches.Add(new Branch { Repo = repo.ToProto(), Name = name });
        }

        // pachd reports the size of the master branch head as the repo size.
        var size = connection.Scalar(
            "SELECT c.size FROM branches b JOIN commits c ON c.repo_id = b.repo_id AND c.id = b.head WHERE b.repo_id = $r AND b.name = 'master'",
            ("$r", repo.Id));
        info.SizeBytesUpperBound = size is long s ? s : 0;
        info.Details.SizeBytes = info.SizeBytesUpperBound;
        if (caller is not null)
        {
            info.AuthInfo = new AuthInfo();
            if (caller.IsAdmin)
            {
                info.AuthInfo.Roles.Add("clusterAdmin");
            }

            if (repo.Owner == caller.Principal)
            {
                info.AuthInfo.Roles.Add("repoOwner");
            }
        }

        return info;
    }

    /// <summary>The authorization model: the cluster admin may do anything; a repo's creator owns it.</summary>
    public static void Authorize(Caller? caller, RepoRecord repo, string permission)
    {
        if (caller is null || caller.IsAdmin || repo.Owner == caller.Principal)
        {
            return;
        }

        throw PachErrors.NotAuthorized(caller.Principal, permission, $"REPO {repo}");
    }

    /// <summary>A permission pachd checks on the cluster, not on a repo: only the cluster admin has it.</summary>
    public static void AuthorizeCluster(Caller? caller, string permission)
    {
        if (caller is null || caller.IsAdmin)
        {
            return;
        }

        throw PachErrors.NotAuthorized(caller.Principal, permission, "CLUSTER");
    }

    private void RaiseGarbage() => GarbageCreated?.Invoke();
}
