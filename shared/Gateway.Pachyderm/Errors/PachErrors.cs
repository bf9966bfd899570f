using System.Text.RegularExpressions;
using Grpc.Core;

namespace Gateway.Pachyderm;

/// <summary>
/// The one place that reads pachd's gRPC status codes and messages. The code decides first; pachd reports several
/// conditions as UNKNOWN with only a message, so those fall back to the message texts pachd 2.x uses.
/// </summary>
internal static partial class PachErrors
{
    /// <summary>Classifies a failed call into a <see cref="PachException"/> (which keeps the original as inner exception).</summary>
    public static PachException Classify(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = exception.StatusCode;
        var message = exception.Status.Detail ?? string.Empty;
        var kind = IsConnectionLost(exception) ? PachErrorKind.Unavailable : Kind(status, message);
        var text = message.Length > 0 ? message : $"pachd call failed with status {status}";
        return new PachException(kind, status, text, exception);
    }

    /// <summary>
    /// What a call site throws for a failed call: <see cref="OperationCanceledException"/> when CANCELLED came from the
    /// caller's own token (the .NET convention callers test for), otherwise the classified <see cref="PachException"/>.
    /// </summary>
    /// <remarks>
    /// Grpc.Net.Client's ThrowOperationCanceledOnCancellation is deliberately not used: with it, a server stream whose
    /// connection fails surfaces as TaskCanceledException, hiding UNAVAILABLE.
    /// </remarks>
    public static Exception Translate(RpcException exception, CancellationToken callerToken, CancellationToken otherToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.StatusCode == StatusCode.Cancelled)
        {
            if (callerToken.IsCancellationRequested)
            {
                return new OperationCanceledException(exception.Status.Detail, exception, callerToken);
            }
            if (otherToken.IsCancellationRequested)
            {
                return new OperationCanceledException(exception.Status.Detail, exception, otherToken);
            }
        }
        return Classify(exception);
    }

    /// <summary>
    /// True when the client, not pachd, ended the call because the connection failed: Grpc.Net.Client reports a
    /// connection that closed in the middle of a response as INTERNAL, with the transport's exception attached (a
    /// status pachd sends has none). pachd restarting mid-call is a pachd that cannot be reached, not a server bug.
    /// </summary>
    private static bool IsConnectionLost(RpcException exception)
    {
        if (exception.StatusCode is not (StatusCode.Internal or StatusCode.Unknown))
        {
            return false;
        }

        for (var e = exception.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (e is IOException or HttpRequestException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The kind for a status code and message.</summary>
    internal static PachErrorKind Kind(StatusCode status, string message) => status switch
    {
        StatusCode.NotFound => NotFoundKind(message) ?? PachErrorKind.Unknown,
        StatusCode.AlreadyExists => PachErrorKind.AlreadyExists,
        StatusCode.PermissionDenied => PachErrorKind.NotAuthorized,
        StatusCode.Unauthenticated => Has(message, "no authentication token") ? PachErrorKind.NoToken : PachErrorKind.BadToken,
        StatusCode.Unimplemented => Has(message, "auth service is not activated") ? PachErrorKind.AuthNotActive : PachErrorKind.Unimplemented,
        // pachd's request validation; a server may also report name/path rules this way.
        StatusCode.InvalidArgument => ByMessage(message) switch
        {
            PachErrorKind.InvalidName => PachErrorKind.InvalidName,
            PachErrorKind.InvalidPath => PachErrorKind.InvalidPath,
            _ => PachErrorKind.InvalidArgument,
        },
        StatusCode.Unavailable or StatusCode.DeadlineExceeded =>
            Has(message, "not finished") ? PachErrorKind.CommitNotFinished : PachErrorKind.Unavailable,
        StatusCode.Cancelled => PachErrorKind.Cancelled,
        StatusCode.FailedPrecondition => IsNotAFile(message) ? PachErrorKind.NotAFile : ByMessage(message),
        _ => ByMessage(message),
    };

    /// <summary>UNKNOWN (and other unspecific codes): pachd's message texts, most specific first.</summary>
    private static PachErrorKind ByMessage(string message)
    {
        // SquashCommit's refusals, first: "cannot squash until child commit <c> is finished" is no commit state error.
        if (Has(message, "cannot squash "))
        {
            return PachErrorKind.CannotSquash;
        }
        if (Has(message, "has already finished"))
        {
            return PachErrorKind.CommitFinished;
        }
        if (Has(message, "only alphanumeric characters"))
        {
            return PachErrorKind.InvalidName;
        }
        if (Has(message, "only printable ASCII characters allowed") || Has(message, "not allowed in path")
            || Has(message, "relative file paths are not allowed"))
        {
            return PachErrorKind.InvalidPath;
        }
        if (Has(message, "cannot start a commit on an output branch"))
        {
            return PachErrorKind.OutputBranch;
        }
        if (Has(message, "not authorized to perform this operation"))
        {
            return PachErrorKind.NotAuthorized;
        }
        if (Has(message, "auth service is not activated"))
        {
            return PachErrorKind.AuthNotActive;
        }
        if (Has(message, "no authentication token"))
        {
            return PachErrorKind.NoToken;
        }
        if (Has(message, "token is corrupted or has expired"))
        {
            return PachErrorKind.BadToken;
        }
        if (IsNotAFile(message))
        {
            return PachErrorKind.NotAFile;
        }
        // "output commit <c> not finished", "parent commit <c> has not been finished" (UNKNOWN) before the generic
        // "not found" family below.
        if (Has(message, "not finished") || Has(message, "has not been finished"))
        {
            return PachErrorKind.CommitNotFinished;
        }
        if (Has(message, "already exists"))
        {
            return PachErrorKind.AlreadyExists;
        }
        return Has(message, "not found") ? NotFoundKind(message) ?? PachErrorKind.Unknown : PachErrorKind.Unknown;
    }

    /// <summary>
    /// Which object a "not found" text names. pachd wraps errors as "outer: inner", so the leftmost
    /// "&lt;object&gt; … not found" phrase (not crossing a ':') is the one the call was about.
    /// </summary>
    private static PachErrorKind? NotFoundKind(string message)
    {
        var match = NotFoundPhrase().Match(message);
        if (match.Success)
        {
            return ObjectKind(match.Groups["object"].Value);
        }
        // Texts with a ':' inside the name (e.g. a path): fall back to which object is mentioned at all.
        foreach (var word in new[] { "file", "branch", "commit", "project", "repo" })
        {
            if (Has(message, word))
            {
                return ObjectKind(word);
            }
        }
        return null;
    }

    private static PachErrorKind ObjectKind(string word) => word.ToUpperInvariant() switch
    {
        "FILE" => PachErrorKind.FileNotFound,
        "BRANCH" => PachErrorKind.BranchNotFound,
        "COMMIT" => PachErrorKind.CommitNotFound,
        "PROJECT" => PachErrorKind.ProjectNotFound,
        _ => PachErrorKind.RepoNotFound,
    };

    private static bool IsNotAFile(string message) =>
        Has(message, "cannot get directory") || Has(message, "non-regular file") || Has(message, "matched multiple files")
        || Has(message, "is a directory") || Has(message, "not a file");

    private static bool Has(string message, string part) => message.Contains(part, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\b(?<object>file|branch|commit|repos?|project)\b[^:]*?\bnot found", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotFoundPhrase();
}
