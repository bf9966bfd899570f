using System.Diagnostics.CodeAnalysis;
using Gateway.Pachyderm;

namespace Gateway.Core.Naming;

/// <summary>
/// The bucket grammar <c>[commit.][branch.]repo[.project]</c>. Dots cannot occur inside Pachyderm names, so
/// splitting on '.' is unambiguous; a first part that looks like a Pachyderm commit id (32 lower-case hex
/// characters, the 13th being '4') pins the bucket to that commit. Names with '_' or upper case are accepted
/// because Pachyderm allows them (path-style requests carry them fine).
/// </summary>
internal static class BucketName
{
    /// <summary>The branch a one-part name means.</summary>
    public const string DefaultBranch = "master";

    /// <summary>Repos whose names start with this are the gateway's own bookkeeping.</summary>
    public const string InternalRepoPrefix = "_s3gateway";

    private const int _maxProjectLength = 51;

    /// <summary>Parses <paramref name="name"/>; false (with a reason) when it is not a valid bucket name.</summary>
    public static bool TryParse(string name, [NotNullWhen(true)] out BucketAddress? address, [NotNullWhen(false)] out string? reason)
    {
        address = null;
        if (string.IsNullOrEmpty(name))
        {
            reason = "The bucket name is empty.";
            return false;
        }

        var parts = name.Split('.');
        string? commit = null;
        var start = 0;
        if (parts.Length > 1 && IsCommitId(parts[0]))
        {
            commit = parts[0];
            start = 1;
        }

        var rest = parts.AsSpan(start);
        string project = RepoRef.DefaultProject, branch = DefaultBranch, repo;
        switch (rest.Length)
        {
            case 1:
                repo = rest[0];
                break;
            case 2:
                branch = rest[0];
                repo = rest[1];
                break;
            case 3:
                branch = rest[0];
                repo = rest[1];
                project = rest[2];
                break;
            default:
                reason = "A bucket name has the form [commit.][branch.]repo[.project].";
                return false;
        }

        if (!IsValidName(repo) || !IsValidName(branch))
        {
            reason = "Repo and branch names may contain only letters, digits, '_' and '-'.";
            return false;
        }

        if (!IsValidProject(project))
        {
            reason = "A project name may contain only letters, digits, '_' and '-', must start with a letter or digit and be at most 51 characters.";
            return false;
        }

        address = new BucketAddress(project, repo, branch, commit);
        reason = null;
        return true;
    }

    /// <summary>The listing name of a branch: <c>branch.repo</c> in the default project, else <c>branch.repo.project</c>.</summary>
    public static string Format(string project, string repo, string branch) =>
        project == RepoRef.DefaultProject ? $"{branch}.{repo}" : $"{branch}.{repo}.{project}";

    /// <summary>True for the gateway's internal repos (and, by the same prefix, its branches: <see cref="GatewayBranch"/>).</summary>
    public static bool IsInternalRepo(string repo) => repo.StartsWith(InternalRepoPrefix, StringComparison.Ordinal);

    /// <summary>A Pachyderm commit id: a dash-less UUIDv4, 32 lower-case hex characters with '4' in 13th place.</summary>
    public static bool IsCommitId(string s)
    {
        if (s.Length != 32 || s[12] != '4')
        {
            return false;
        }

        foreach (var c in s)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Pachyderm's repo/branch name charset: <c>[a-zA-Z0-9_-]+</c>.</summary>
    public static bool IsValidName(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidProject(string s) =>
        s.Length <= _maxProjectLength && IsValidName(s) && char.IsAsciiLetterOrDigit(s[0]);
}
