using Gateway.Pachyderm.Protos.Auth;
using Grpc.Core;
using LocalPachd.Auth;
using LocalPachd.Pfs;
using LocalPachd.Storage;

namespace LocalPachd.Services;

/// <summary>auth_v2.API: activation, identity, robot tokens and the (simple) role bindings.</summary>
internal sealed class AuthService : API.APIBase
{
    private readonly AuthStore _auth;
    private readonly PfsStore _pfs;

    public AuthService(AuthStore auth, PfsStore pfs)
    {
        _auth = auth;
        _pfs = pfs;
    }

    public override async Task<ActivateResponse> Activate(ActivateRequest request, ServerCallContext context)
    {
        var token = await _auth.ActivateAsync(request.RootToken, context.CancellationToken).ConfigureAwait(false);
        return new ActivateResponse { PachToken = token };
    }

    public override async Task<DeactivateResponse> Deactivate(DeactivateRequest request, ServerCallContext context)
    {
        RequireAdmin(context, "CLUSTER_AUTH_DEACTIVATE");
        await _auth.DeactivateAsync(context.CancellationToken).ConfigureAwait(false);
        return new DeactivateResponse();
    }

    public override Task<WhoAmIResponse> WhoAmI(WhoAmIRequest request, ServerCallContext context)
    {
        var caller = RequireActive(context);
        var token = context.RequestHeaders.GetValue(AuthInterceptor.TokenKey)!;
        var response = new WhoAmIResponse { Username = caller.Principal };
        if (_auth.Validate(token)?.Expires is { } expires)
        {
            response.Expiration = PfsStore.ToTimestamp(expires);
        }

        return Task.FromResult(response);
    }

    public override Task<GetRoleBindingResponse> GetRoleBinding(GetRoleBindingRequest request, ServerCallContext context)
    {
        RequireActive(context);
        var binding = new RoleBinding();
        var resource = request.Resource ?? throw PachErrors.New(StatusCode.InvalidArgument, "validate request: invalid GetRoleBindingRequest.Resource: value is required");
        switch (resource.Type)
        {
            case ResourceType.Cluster:
                binding.Entries[AuthStore.RootPrincipal] = Role("clusterAdmin");
                break;
            case ResourceType.Repo:
                using (var connection = _pfs.Db.Open())
                {
                    var slash = resource.Name.IndexOf('/', StringComparison.Ordinal);
                    var key = slash < 0
                        ? new RepoKey(PfsStore.DefaultProject, resource.Name, "user")
                        : new RepoKey(resource.Name[..slash], resource.Name[(slash + 1)..], "user");
                    var repo = _pfs.GetRepo(connection, key);
                    if (repo.Owner is not null)
                    {
                        binding.Entries[repo.Owner] = Role("repoOwner");
                    }
                }

                break;
            default:
                break;
        }

        return Task.FromResult(new GetRoleBindingResponse { Binding = binding });
    }

    public override async Task<GetRobotTokenResponse> GetRobotToken(GetRobotTokenRequest request, ServerCallContext context)
    {
        RequireAdmin(context, "CLUSTER_AUTH_GET_ROBOT_TOKEN");
        if (string.IsNullOrEmpty(request.Robot))
        {
            throw PachErrors.New(StatusCode.InvalidArgument, "robot name must be set");
        }

        var subject = request.Robot.StartsWith(AuthStore.RobotPrefix, StringComparison.Ordinal) ? request.Robot : AuthStore.RobotPrefix + request.Robot;
        TimeSpan? ttl = request.Ttl > 0 ? TimeSpan.FromSeconds(request.Ttl) : null;
        var token = await _auth.IssueAsync(subject, ttl, context.CancellationToken).ConfigureAwait(false);
        return new GetRobotTokenResponse { Token = token };
    }

    public override async Task<RevokeAuthTokenResponse> RevokeAuthToken(RevokeAuthTokenRequest request, ServerCallContext context)
    {
        var caller = RequireActive(context);
        if (!caller.IsAdmin && _auth.Validate(request.Token)?.Subject != caller.Principal)
        {
            throw PachErrors.NotAuthorized(caller.Principal, "CLUSTER_AUTH_REVOKE_USER_TOKENS", "CLUSTER");
        }

        var removed = await _auth.RevokeAsync(request.Token, context.CancellationToken).ConfigureAwait(false);
        return new RevokeAuthTokenResponse { Number = removed };
    }

    private Caller RequireActive(ServerCallContext context)
    {
        if (!_auth.IsActive)
        {
            throw PachErrors.New(StatusCode.Unimplemented, "the auth service is not activated");
        }

        return AuthInterceptor.CallerOf(context) ?? throw PachErrors.New(StatusCode.Unauthenticated, "no authentication token (try logging in)");
    }

    private void RequireAdmin(ServerCallContext context, string permission)
    {
        var caller = RequireActive(context);
        if (!caller.IsAdmin)
        {
            throw PachErrors.NotAuthorized(caller.Principal, permission, "CLUSTER");
        }
    }

    private static Roles Role(string name)
    {
        var roles = new Roles();
        roles.Roles_[name] = true;
        return roles;
    }
}
