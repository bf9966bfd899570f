using Gateway.Pachyderm.Protos.Pfs;
using LocalPachd.Storage;

namespace LocalPachd.Pfs;

/// <summary>A repo's identity: project, name and type ("user" unless stated), as pachd defaults them.</summary>
internal readonly record struct RepoKey(string Project, string Name, string Type)
{
    public static RepoKey From(Repo? repo) => new(
        string.IsNullOrEmpty(repo?.Project?.Name) ? "default" : repo.Project.Name,
        repo?.Name ?? string.Empty,
        string.IsNullOrEmpty(repo?.Type) ? "user" : repo.Type);

    public override string ToString() => $"{Project}/{Name}";
}

/// <summary>A repo row.</summary>
internal sealed record RepoRecord(long Id, string Project, string Name, string Type, string Description, long Created, string? Owner)
{
    public RepoKey Key => new(Project, Name, Type);

    public Repo ToProto() => new() { Name = Name, Type = Type, Project = new Project { Name = Project } };

    public override string ToString() => $"{Project}/{Name}";
}

/// <summary>A commit row. <see cref="Root"/> is the id of its tree's root node (null = empty tree).</summary>
internal sealed record CommitRecord(
    long RepoId, string Id, long Seq, string? Parent, string Description, long Started, long? Finishing, long? Finished,
    Hash256? Root, long Size, string Error, string? CreatedBy)
{
    public bool IsFinished => Finished is not null;
}

/// <summary>A branch row.</summary>
internal sealed record BranchRecord(long RepoId, string Name, string Head, long Created, long Updated, string? CreatedBy);

/// <summary>Who is calling when auth is active (null caller = auth off).</summary>
internal sealed record Caller(string Principal, bool IsAdmin);
