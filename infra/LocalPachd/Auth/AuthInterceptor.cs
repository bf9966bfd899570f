using Grpc.Core;
using Grpc.Core.Interceptors;
using LocalPachd.Pfs;

namespace LocalPachd.Auth;

/// <summary>
/// Authenticates every call once auth is active, from the <c>authn-token</c> metadata, and leaves the
/// <see cref="Caller"/> in the call's user state. GetVersion and Activate pass through, as in pachd.
/// </summary>
internal sealed class AuthInterceptor : Interceptor
{
    public const string TokenKey = "authn-token";
    private const string _callerKey = "localpachd.caller";

    private readonly AuthStore _auth;

    public AuthInterceptor(AuthStore auth) => _auth = auth;

    public static Caller? CallerOf(ServerCallContext context) =>
        context.UserState.TryGetValue(_callerKey, out var caller) ? caller as Caller : null;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        if (!_auth.IsActive
            || context.Method.StartsWith("/versionpb_v2.", StringComparison.Ordinal)
            || context.Method == "/auth_v2.API/Activate")
        {
            return;
        }

        string? token = null;
        foreach (var entry in context.RequestHeaders)
        {
            if (entry.Key == TokenKey)
            {
                if (token is not null)
                {
                    throw PachErrors.New(StatusCode.Unauthenticated, "multiple authentication token keys found in request metadata");
                }

                token = entry.Value;
            }
        }

        if (string.IsNullOrEmpty(token))
        {
            throw PachErrors.New(StatusCode.Unauthenticated, "no authentication token (try logging in)");
        }

        var record = _auth.Validate(token)
            ?? throw PachErrors.New(StatusCode.Unauthenticated, "provided auth token is corrupted or has expired (try logging in again)");
        context.UserState[_callerKey] = new Caller(record.Subject, record.Subject == AuthStore.RootPrincipal);
    }
}
