using Gateway.Pachyderm.Protos.Auth;
using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using static LocalPachd.Tests.TestServer;

namespace LocalPachd.Tests.Server;

public sealed class AuthTests
{
    private static Metadata Token(string token) => new() { { "authn-token", token } };

    [Fact]
    public async Task AuthRpcs_BeforeActivation_Unimplemented()
    {
        await using var server = await StartAsync();
        var ex = await ThrowsRpcAsync(StatusCode.Unimplemented, async () => await server.Auth.WhoAmIAsync(new WhoAmIRequest()));
        Assert.Equal("the auth service is not activated", ex.Status.Detail);
        await ThrowsRpcAsync(StatusCode.Unimplemented, async () =>
            await server.Auth.GetRoleBindingAsync(new GetRoleBindingRequest { Resource = new Resource { Type = ResourceType.Cluster } }));
        await server.CreateRepoAsync("open");
    }

    [Fact]
    public async Task Activate_ThenEveryCallNeedsValidToken()
    {
        await using var server = await StartAsync();
        var activated = await server.Auth.ActivateAsync(new ActivateRequest { RootToken = "root-secret" });
        Assert.Equal("root-secret", activated.PachToken);

        var none = await ThrowsRpcAsync(StatusCode.Unauthenticated, async () => await server.Pfs.InspectRepoAsync(new InspectRepoRequest { Repo = Repo("x") }));
        Assert.Equal("no authentication token (try logging in)", none.Status.Detail);
        var bad = await ThrowsRpcAsync(StatusCode.Unauthenticated, async () =>
            await server.Pfs.InspectRepoAsync(new InspectRepoRequest { Repo = Repo("x") }, Token("wrong")));
        Assert.Equal("provided auth token is corrupted or has expired (try logging in again)", bad.Status.Detail);
        await ThrowsRpcAsync(StatusCode.Unauthenticated, async () => await server.Auth.WhoAmIAsync(new WhoAmIRequest()));

        // GetVersion stays open.
        await server.Version.GetVersionAsync(new Google.Protobuf.WellKnownTypes.Empty());

        var who = await server.Auth.WhoAmIAsync(new WhoAmIRequest(), Token("root-secret"));
        Assert.Equal("pach:root", who.Username);
        var binding = await server.Auth.GetRoleBindingAsync(new GetRoleBindingRequest { Resource = new Resource { Type = ResourceType.Cluster } }, Token("root-secret"));
        Assert.True(binding.Binding.Entries["pach:root"].Roles_["clusterAdmin"]);

        await ThrowsRpcAsync(StatusCode.AlreadyExists, async () => await server.Auth.ActivateAsync(new ActivateRequest()));
    }

    [Fact]
    public async Task Activate_WithoutRootToken_GeneratesOne()
    {
        await using var server = await StartAsync();
        var activated = await server.Auth.ActivateAsync(new ActivateRequest());
        Assert.Matches("^[0-9a-f]{32}$", activated.PachToken);
        Assert.Equal("pach:root", (await server.Auth.WhoAmIAsync(new WhoAmIRequest(), Token(activated.PachToken))).Username);
    }

    [Fact]
    public async Task RobotToken_OwnsWhatItCreates_DeniedElsewhere()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("before");
        var root = Token((await server.Auth.ActivateAsync(new ActivateRequest())).PachToken);
        var robotToken = (await server.Auth.GetRobotTokenAsync(new GetRobotTokenRequest { Robot = "gw" }, root)).Token;
        var robot = Token(robotToken);
        Assert.Equal("robot:gw", (await server.Auth.WhoAmIAsync(new WhoAmIRequest(), robot)).Username);

        await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = Repo("mine") }, robot);
        await server.Pfs.CreateBranchAsync(new CreateBranchRequest { Branch = new Branch { Repo = Repo("mine"), Name = "master" } }, robot);
        using (var call = server.Pfs.ModifyFile(robot))
        {
            await call.RequestStream.WriteAsync(new ModifyFileRequest { SetCommit = Head("mine") });
            await call.RequestStream.WriteAsync(Add("/f", "v"));
            await call.RequestStream.CompleteAsync();
            await call;
        }

        var info = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("mine"), "/f") }, robot);
        Assert.Equal(1, info.SizeBytes);

        var denied = await ThrowsRpcAsync(StatusCode.PermissionDenied, async () =>
            await server.Pfs.InspectRepoAsync(new InspectRepoRequest { Repo = Repo("before") }, robot));
        Assert.Equal("robot:gw is not authorized to perform this operation - needs permissions [REPO_READ] on REPO default/before", denied.Status.Detail);
        var write = await ThrowsRpcAsync(StatusCode.PermissionDenied, async () =>
        {
            using var call = server.Pfs.ModifyFile(robot);
            await call.RequestStream.WriteAsync(new ModifyFileRequest { SetCommit = Head("before") });
            await call.RequestStream.WriteAsync(Add("/f", "v"));
            await call.RequestStream.CompleteAsync();
            await call;
        });
        Assert.Contains("needs permissions [REPO_WRITE] on REPO default/before", write.Status.Detail, StringComparison.Ordinal);

        // Only the admin may mint robot tokens; the root may read everything.
        await ThrowsRpcAsync(StatusCode.PermissionDenied, async () => await server.Auth.GetRobotTokenAsync(new GetRobotTokenRequest { Robot = "other" }, robot));
        await server.Pfs.InspectRepoAsync(new InspectRepoRequest { Repo = Repo("mine") }, root);
        var repoBinding = await server.Auth.GetRoleBindingAsync(new GetRoleBindingRequest { Resource = new Resource { Type = ResourceType.Repo, Name = "default/mine" } }, root);
        Assert.True(repoBinding.Binding.Entries["robot:gw"].Roles_["repoOwner"]);
    }

    [Fact]
    public async Task RobotToken_Ttl_Expires()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await StartAsync(configure: o => o.TimeProvider = clock);
        var root = Token((await server.Auth.ActivateAsync(new ActivateRequest())).PachToken);
        var token = (await server.Auth.GetRobotTokenAsync(new GetRobotTokenRequest { Robot = "short", Ttl = 60 }, root)).Token;
        var who = await server.Auth.WhoAmIAsync(new WhoAmIRequest(), Token(token));
        Assert.Equal(clock.GetUtcNow().AddSeconds(60), who.Expiration.ToDateTimeOffset());

        clock.Advance(TimeSpan.FromSeconds(61));
        var ex = await ThrowsRpcAsync(StatusCode.Unauthenticated, async () => await server.Auth.WhoAmIAsync(new WhoAmIRequest(), Token(token)));
        Assert.Equal("provided auth token is corrupted or has expired (try logging in again)", ex.Status.Detail);
    }

    [Fact]
    public async Task Deactivate_AdminOnly_ThenOpenAgain()
    {
        await using var server = await StartAsync();
        var root = Token((await server.Auth.ActivateAsync(new ActivateRequest())).PachToken);
        var robot = Token((await server.Auth.GetRobotTokenAsync(new GetRobotTokenRequest { Robot = "r" }, root)).Token);
        await ThrowsRpcAsync(StatusCode.PermissionDenied, async () => await server.Auth.DeactivateAsync(new DeactivateRequest(), robot));
        await server.Auth.DeactivateAsync(new DeactivateRequest(), root);
        await server.CreateRepoAsync("free");
        await ThrowsRpcAsync(StatusCode.Unimplemented, async () => await server.Auth.WhoAmIAsync(new WhoAmIRequest()));
    }

    [Fact]
    public async Task AuthState_SurvivesRestart_TokensStoredHashed()
    {
        var directory = NewDirectory();
        try
        {
            await using (var first = await StartAsync(directory))
            {
                await first.Auth.ActivateAsync(new ActivateRequest { RootToken = "persisted-root-token" });
            }

            await using (var second = await StartAsync(directory))
            {
                await ThrowsRpcAsync(StatusCode.Unauthenticated, async () => await second.Auth.WhoAmIAsync(new WhoAmIRequest()));
                Assert.Equal("pach:root", (await second.Auth.WhoAmIAsync(new WhoAmIRequest(), Token("persisted-root-token"))).Username);
            }

            var bytes = await System.IO.File.ReadAllBytesAsync(Path.Combine(directory, "localpachd.db"));
            Assert.DoesNotContain("persisted-root-token", System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        }
        finally
        {
            TryDelete(directory);
        }
    }
}
