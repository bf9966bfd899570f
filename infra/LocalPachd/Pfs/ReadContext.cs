using Gateway.Pachyderm.Protos.Pfs;
using Google.Protobuf;
using LocalPachd.Storage;
using LocalPachd.Tree;
using Microsoft.Data.Sqlite;

namespace LocalPachd.Pfs;

/// <summary>One read of one commit's tree: a snapshot connection, the resolved repo and commit, and a tree reader.</summary>
internal sealed class ReadContext : IDisposable
{
    private readonly Google.Protobuf.WellKnownTypes.Timestamp? _committed;
    private readonly ReadSnapshot? _snapshot;

    /// <summary>The commit as every <see cref="Info"/> of this read names it: one message shared, as the timestamp is.</summary>
    private Commit? _commitProto;

    public ReadContext(PfsStore store, Commit commit, Caller? caller)
    {
        _snapshot = ReadSnapshot.Open(store);
        Connection = _snapshot.Connection;
        try
        {
            Repo = store.GetRepo(Connection, RepoKey.From(PfsStore.CommitRepo(commit)));
            PfsStore.Authorize(caller, Repo, "REPO_READ");
            Commit = store.ResolveCommit(Connection, Repo, commit);
            Reader = store.Reader(Connection);
            _committed = PfsStore.ToTimestamp(Commit.Finishing);
        }
        catch
        {
            _snapshot.Dispose();
            throw;
        }
    }

    /// <summary>A read of an already resolved (and authorized) commit over a connection the caller keeps owning.</summary>
    public ReadContext(PfsStore store, SqliteConnection connection, RepoRecord repo, CommitRecord commit)
    {
        Connection = connection;
        Repo = repo;
        Commit = commit;
        Reader = store.Reader(connection);
        _committed = PfsStore.ToTimestamp(Commit.Finishing);
    }

    public SqliteConnection Connection { get; }

    public RepoRecord Repo { get; }

    public CommitRecord Commit { get; }

    public TreeReader Reader { get; }

    /// <summary>The root directory entry (an empty directory for an empty tree).</summary>
    public TreeEntry RootEntry => Reader.Root(Commit.Root) ?? new TreeEntry(string.Empty, true, 0, TreeEntry.DirectoryHash(default), default);

    public Gateway.Pachyderm.Protos.Pfs.FileInfo Info(string path, TreeEntry entry)
    {
        Span<byte> hash = stackalloc byte[Hash256.Size];
        entry.Hash.WriteTo(hash);
        return new Gateway.Pachyderm.Protos.Pfs.FileInfo
        {
            File = new Gateway.Pachyderm.Protos.Pfs.File
            {
                Commit = _commitProto ??= new Commit { Repo = Repo.ToProto(), Id = Commit.Id },
                Path = path,
            },
            FileType = entry.IsDirectory ? FileType.Dir : FileType.File,
            Committed = _committed,
            SizeBytes = entry.Size,
            Hash = ByteString.CopyFrom(hash),
        };
    }

    public Exception NotFound(string path) => PachErrors.FileNotFound(path, Repo.ToString(), Commit.Id);

    public void Dispose() => _snapshot?.Dispose();
}
