using Grpc.Core;

namespace Gateway.Pachyderm;

/// <summary>A pachd error, classified by <see cref="PachErrors.Classify(RpcException)"/>.</summary>
public sealed class PachException : Exception
{
    /// <summary>Creates a classified error.</summary>
    public PachException(PachErrorKind kind, StatusCode status, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Status = status;
    }

    /// <summary>What went wrong.</summary>
    public PachErrorKind Kind { get; }

    /// <summary>The gRPC status code pachd answered with.</summary>
    public StatusCode Status { get; }

    /// <summary>True for any of the NOT_FOUND kinds.</summary>
    public bool IsNotFound => Kind is PachErrorKind.RepoNotFound or PachErrorKind.BranchNotFound
        or PachErrorKind.CommitNotFound or PachErrorKind.FileNotFound or PachErrorKind.ProjectNotFound;
}
