using Gateway.Pachyderm.Protos.Pfs;

namespace Gateway.Pachyderm;

/// <summary>A repo addressed by project and name. <see cref="Type"/> is "user" for user repos.</summary>
public sealed record RepoRef(string Project, string Name, string Type = RepoRef.UserType)
{
    /// <summary>The repo type of user data repos.</summary>
    public const string UserType = "user";

    /// <summary>The project every pachd has.</summary>
    public const string DefaultProject = "default";

    /// <summary>A user repo in the default project.</summary>
    public static RepoRef InDefault(string name) => new(DefaultProject, name);

    /// <summary>The wire form (type always set: pachd does not default it on every call).</summary>
    public Repo ToProto() => new() { Name = Name, Type = Type, Project = new Project { Name = Project } };

    /// <summary>Reads a wire repo, defaulting empty project and type as pachd does.</summary>
    public static RepoRef FromProto(Repo repo) => new(
        string.IsNullOrEmpty(repo.Project?.Name) ? DefaultProject : repo.Project.Name,
        repo.Name,
        string.IsNullOrEmpty(repo.Type) ? UserType : repo.Type);

    /// <inheritdoc/>
    public override string ToString() => $"{Project}/{Name}";
}

/// <summary>A branch of a repo.</summary>
public sealed record BranchRef(RepoRef Repo, string Name)
{
    /// <summary>The wire form.</summary>
    public Branch ToProto() => new() { Repo = Repo.ToProto(), Name = Name };

    /// <summary>The head commit of this branch.</summary>
    public CommitRef Head => new(Repo, Name, null);

    /// <inheritdoc/>
    public override string ToString() => $"{Repo}@{Name}";
}

/// <summary>
/// A commit: either a branch head (<see cref="Id"/> null) or an explicit commit id (optionally with its branch).
/// </summary>
public sealed record CommitRef(RepoRef Repo, string? Branch, string? Id)
{
    /// <summary>An explicit commit id.</summary>
    public static CommitRef ById(RepoRef repo, string id) => new(repo, null, id);

    /// <summary>
    /// The wire form. Sets <c>repo</c> (2.6+) and, for branch heads, <c>branch</c> too (what 2.0–2.5 understand).
    /// </summary>
    public Commit ToProto()
    {
        var commit = new Commit { Repo = Repo.ToProto(), Id = Id ?? string.Empty };
        if (!string.IsNullOrEmpty(Branch))
        {
            commit.Branch = new Branch { Repo = Repo.ToProto(), Name = Branch };
        }
        return commit;
    }

    /// <summary>Reads a wire commit (pachd 2.11+ never fills <c>branch</c> in responses).</summary>
    public static CommitRef FromProto(Commit commit)
    {
        var repo = commit.Repo ?? commit.Branch?.Repo ?? new Repo();
        return new CommitRef(RepoRef.FromProto(repo), string.IsNullOrEmpty(commit.Branch?.Name) ? null : commit.Branch.Name,
            string.IsNullOrEmpty(commit.Id) ? null : commit.Id);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Repo}@{Id ?? Branch}";
}

/// <summary>A path at a commit. Paths are absolute ("/a/b"); a directory ends with "/".</summary>
public sealed record FileRef(CommitRef Commit, string Path)
{
    /// <summary>The wire form.</summary>
    public Protos.Pfs.File ToProto() => new() { Commit = Commit.ToProto(), Path = Path };
}
