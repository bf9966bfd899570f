using System.Reflection;
using System.Runtime.CompilerServices;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Support;

/// <summary>One call made on an <see cref="IPachClient"/>: the method name and its arguments.</summary>
public sealed record PachCall(string Method, object?[] Args);

/// <summary>
/// Wraps a real <see cref="IPachClient"/> (LocalPachd): records every call, and fails the calls a test chooses
/// (failure injection). Everything else is served by the real server.
/// </summary>
public class PachProxy : DispatchProxy
{
    private IPachClient _inner = null!;
    private List<PachCall> _calls = null!;
    private Func<PachCall, Exception?>? _fault;
    private bool _asPachd;

    /// <summary>A client that forwards to <paramref name="inner"/>, appending each call to <paramref name="calls"/>.</summary>
    public static IPachClient Wrap(IPachClient inner, List<PachCall> calls, Func<PachCall, Exception?>? fault = null)
    {
        var proxy = Create<IPachClient, PachProxy>();
        var self = (PachProxy)(object)proxy;
        self._inner = inner;
        self._calls = calls;
        self._fault = fault;
        return proxy;
    }

    /// <summary>
    /// A client that answers as it would against pachd 2.x, which does not name the commit a ModifyFile created (nor so
    /// ever claims to, <see cref="IPachClient.NamesCreatedCommits"/>) nor
    /// describe the file a GetFile serves or a ModifyFile wrote, nor a missing path's nearest ancestor (LocalPachd does
    /// all four): the gateway must find each write's commit in the history, inspect each file it reads or writes, and
    /// each ancestor of a key it writes.
    /// </summary>
    public static IPachClient AsPachd(IPachClient inner)
    {
        var proxy = Wrap(inner, []);
        ((PachProxy)(object)proxy)._asPachd = true;
        return proxy;
    }

    /// <summary>A client whose calls named <paramref name="method"/> fail with <paramref name="error"/>.</summary>
    public static IPachClient Failing(IPachClient inner, string method, Exception error) =>
        Wrap(inner, [], call => call.Method == method ? error : null);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var call = new PachCall(targetMethod.Name, args ?? []);
        lock (_calls)
        {
            _calls.Add(call);
        }

        if (_fault?.Invoke(call) is { } error)
        {
            return Faulted(targetMethod.ReturnType, error);
        }

        if (_asPachd && targetMethod.Name == nameof(IPachClient.OpenFileAsync))
        {
            // pachd 2.x does not describe the file a GetFile serves.
            return Task.FromResult<FileDownload?>(null);
        }

        object? result;
        try
        {
            result = targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }

        return targetMethod.Name switch
        {
            nameof(IPachClient.WithToken) => _asPachd ? AsPachd((IPachClient)result!) : Wrap((IPachClient)result!, _calls, _fault),
            nameof(IPachClient.ModifyFileAsync) when _asPachd => NoCreatedCommit((Task<string?>)result!),
            nameof(IPachClient.ModifyFileDescribedAsync) when _asPachd => Undescribed((Task<ModifyFileResult>)result!),
            nameof(IPachClient.LookUpPathAsync) when _asPachd => NoAncestor((Task<PathLookup>)result!),
            "get_" + nameof(IPachClient.NamesCreatedCommits) when _asPachd => false,
            _ => result,
        };
    }

    private static object Faulted(Type returnType, Exception error)
    {
        if (returnType == typeof(Task))
        {
            return Task.FromException(error);
        }

        var generic = returnType.GetGenericTypeDefinition();
        var item = returnType.GetGenericArguments()[0];
        var helper = generic == typeof(Task<>) ? nameof(FaultedTask) : generic == typeof(IAsyncEnumerable<>) ? nameof(FaultedStream) : null;
        return typeof(PachProxy).GetMethod(helper ?? throw new NotSupportedException(returnType.Name), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(item).Invoke(null, [error])!;
    }

    private static async Task<string?> NoCreatedCommit(Task<string?> modify)
    {
        await modify.ConfigureAwait(false);
        return null;
    }

    private static async Task<PathLookup> NoAncestor(Task<PathLookup> lookup) => (await lookup.ConfigureAwait(false)) with { NearestAncestor = null };

    private static async Task<ModifyFileResult> Undescribed(Task<ModifyFileResult> modify)
    {
        await modify.ConfigureAwait(false);
        return new ModifyFileResult(null, null);
    }

    private static Task<T> FaultedTask<T>(Exception error) => Task.FromException<T>(error);

    private static async IAsyncEnumerable<T> FaultedStream<T>(Exception error, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        throw error;
#pragma warning disable CS0162 // makes this an iterator
        yield break;
#pragma warning restore CS0162
    }
}
