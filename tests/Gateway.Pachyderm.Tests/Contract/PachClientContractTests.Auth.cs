using Gateway.Pachyderm.Tests.Hosting;
using Gateway.Pachyderm.Tests.Support;
using Xunit;

namespace Gateway.Pachyderm.Tests.Contract;

public abstract partial class PachClientContractTests
{
    /// <summary>Auth changes the whole server, so these tests get a LocalPachd of their own (started the fixture's way).</summary>
    private async Task WithOwnServerAsync(Func<PachClient, Task> test)
    {
        var data = PachdLauncher.NewDataDirectory();
        try
        {
            await using var host = await Fixture.Launcher.StartAsync(data);
            using var client = PachClient.Create(new PachClientOptions { Address = host.Address.ToString() });
            await test(client);
        }
        finally
        {
            PachdLauncher.DeleteDataDirectory(data);
        }
    }

    [Fact]
    public Task Auth_NotActivated_ProbeFalseAndWhoAmIAuthNotActive() => WithOwnServerAsync(async client =>
    {
        Assert.False(await client.IsAuthActiveAsync());

        var error = await Assert.ThrowsAsync<PachException>(() => client.WhoAmIAsync());

        Assert.Equal(PachErrorKind.AuthNotActive, error.Kind);
        // Without auth, any token (or none) is accepted for data calls.
        await client.WithToken("whatever").CreateRepoAsync(RepoRef.InDefault("open"));
    });

    [Fact]
    public Task Auth_ActivateWithRootToken_RootAndRobotIdentities() => WithOwnServerAsync(async client =>
    {
        const string rootToken = "0123456789abcdef0123456789abcdef";

        var returned = await client.ActivateAuthAsync(rootToken);

        Assert.Equal(rootToken, returned);
        Assert.True(await client.IsAuthActiveAsync());
        var root = client.WithToken(rootToken);
        Assert.Equal("pach:root", (await root.WhoAmIAsync()).Username);

        var robotToken = await root.GetRobotTokenAsync("ci");
        Assert.False(string.IsNullOrEmpty(robotToken));
        Assert.Equal("robot:ci", (await client.WithToken(robotToken).WhoAmIAsync()).Username);
    });

    [Fact]
    public Task Auth_Active_NoTokenBadTokenNotAuthorized() => WithOwnServerAsync(async client =>
    {
        var rootToken = await client.ActivateAuthAsync(null);
        Assert.False(string.IsNullOrEmpty(rootToken));
        var root = client.WithToken(rootToken);
        var repo = RepoRef.InDefault(TestData.Name("private"));
        await root.CreateRepoAsync(repo);
        using (var content = new MemoryStream([1, 2, 3]))
        {
            await root.PutFileAsync(new BranchRef(repo, "master").Head, "/secret", content);
        }
        var robot = client.WithToken(await root.GetRobotTokenAsync("reader"));

        var noToken = await Assert.ThrowsAsync<PachException>(() => client.InspectRepoAsync(repo));
        var badToken = await Assert.ThrowsAsync<PachException>(() => client.WithToken("not-a-real-token").InspectRepoAsync(repo));
        var readDenied = await Assert.ThrowsAsync<PachException>(() => robot.GetFileAsync(new FileRef(new BranchRef(repo, "master").Head, "/secret")));
        var diffDenied = await Assert.ThrowsAsync<PachException>(() => robot.DiffFileAsync(new FileRef(new BranchRef(repo, "master").Head, "/")).ToListAsync());
        var writeDenied = await Assert.ThrowsAsync<PachException>(async () =>
        {
            using var content = new MemoryStream([9]);
            await robot.PutFileAsync(new BranchRef(repo, "master").Head, "/mine", content);
        });

        Assert.Equal(PachErrorKind.NoToken, noToken.Kind);
        Assert.Equal(PachErrorKind.BadToken, badToken.Kind);
        Assert.Equal(PachErrorKind.NotAuthorized, readDenied.Kind);
        Assert.Equal(PachErrorKind.NotAuthorized, diffDenied.Kind);
        Assert.Equal(PachErrorKind.NotAuthorized, writeDenied.Kind);
        // The root view still reads it, and a null-token view of the root view sends nothing.
        await using var stream = await root.GetFileAsync(new FileRef(new BranchRef(repo, "master").Head, "/secret"));
        Assert.Equal([1, 2, 3], await TestData.ReadAllAsync(stream));
        Assert.Equal(PachErrorKind.NoToken, (await Assert.ThrowsAsync<PachException>(() => root.WithToken(null).WhoAmIAsync())).Kind);
    });
}
