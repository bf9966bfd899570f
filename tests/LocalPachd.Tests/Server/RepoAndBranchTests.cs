using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;

namespace LocalPachd.Tests.Server;

public sealed class RepoAndBranchTests
{
    [Fact]
    public async Task CreateRepo_Twice_AlreadyExistsUnlessUpdate()
    {
        await using var server = await TestServer.StartAsync();
        await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = TestServer.Repo("images") });

        var ex = await TestServer.ThrowsRpcAsync(StatusCode.AlreadyExists, async () =>
            await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = TestServer.Repo("images") }));
        Assert.Equal("repo default/images already exists", ex.Status.Detail);

        await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = TestServer.Repo("images"), Update = true, Description = "d" });
        var info = await server.Pfs.InspectRepoAsync(new InspectRepoRequest { Repo = TestServer.Repo("images") });
        Assert.Equal("d", info.Description);
        Assert.NotNull(info.Created);
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("bad.name")]
    [InlineData("bad/name")]
    [InlineData("")]
    public async Task CreateRepo_InvalidName_Unknown(string name)
    {
        await using var server = await TestServer.StartAsync();
        var ex = await TestServer.ThrowsRpcAsync(StatusCode.Unknown, async () =>
            await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = TestServer.Repo(name) }));
        Assert.Equal($"name ({name}) invalid: only alphanumeric characters, underscores, and dashes are allowed", ex.Status.Detail);
    }

    [Fact]
    public async Task InspectRepo_Missing_NotFound()
    {
        await using var server = await TestServer.StartAsync();
        var ex = await TestServer.ThrowsRpcAsync(StatusCode.NotFound, async () =>
            await server.Pfs.InspectRepoAsync(new InspectRepoRequest { Repo = TestServer.Repo("nope") }));
        Assert.Equal("repo default/nope not found", ex.Status.Detail);
    }

    [Fact]
    public async Task ListRepo_TypeAndProjectFilters_Apply()
    {
        await using var server = await TestServer.StartAsync();
        await server.Pfs.CreateProjectAsync(new CreateProjectRequest { Project = new Project { Name = "p2" } });
        await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = TestServer.Repo("a") });
        await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = TestServer.Repo("b", "p2") });
        await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = new Repo { Name = "a", Type = "spec", Project = new Project { Name = "default" } } });

        async Task<List<string>> List(string type, params string[] projects)
        {
            var request = new ListRepoRequest { Type = type };
            request.Projects.AddRange(projects.Select(p => new Project { Name = p }));
            using var call = server.Pfs.ListRepo(request);
            return (await call.ResponseStream.ReadAllAsync().ToListAsync()).ConvertAll(r => $"{r.Repo.Project.Name}/{r.Repo.Name}.{r.Repo.Type}");
        }

        Assert.Equal(["default/a.user", "p2/b.user"], await List("user"));
        Assert.Equal(["default/a.spec", "default/a.user", "p2/b.user"], await List(string.Empty));
        Assert.Equal(["p2/b.user"], await List("user", "p2"));
    }

    [Fact]
    public async Task DeleteRepo_RemovesRepoAndBranches()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateRepoAsync("r");
        await server.PutAsync("r", "/a", "x");
        var response = await server.Pfs.DeleteRepoAsync(new DeleteRepoRequest { Repo = TestServer.Repo("r") });
        Assert.True(response.Deleted);
        await TestServer.ThrowsRpcAsync(StatusCode.NotFound, async () =>
            await server.Pfs.InspectRepoAsync(new InspectRepoRequest { Repo = TestServer.Repo("r") }));
        var ex = await TestServer.ThrowsRpcAsync(StatusCode.NotFound, async () =>
            await server.Pfs.DeleteRepoAsync(new DeleteRepoRequest { Repo = TestServer.Repo("r") }));
        Assert.Equal("repo default/r not found", ex.Status.Detail);
    }

    [Fact]
    public async Task CreateBranch_WithoutHead_GetsEmptyFinishedCommit()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateRepoAsync("r");
        var branch = await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = TestServer.Repo("r"), Name = "master" } });
        Assert.Null(branch.Head.Branch);
        var commit = await server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = TestServer.ById("r", branch.Head.Id) });
        Assert.NotNull(commit.Finished);
        Assert.Equal(0, commit.Details.SizeBytes);
        Assert.Matches("^[0-9a-f]{12}4[0-9a-f]{19}$", commit.Commit.Id);
        var repo = await server.Pfs.InspectRepoAsync(new InspectRepoRequest { Repo = TestServer.Repo("r") });
        Assert.Equal("master", Assert.Single(repo.Branches).Name);
    }

    [Theory]
    [InlineData("nope", "master", "branch \"master\" not found in repo default/nope")]
    [InlineData("r", "dev", "branch \"dev\" not found in repo default/r")]
    public async Task InspectBranch_Missing_NotFoundWithBranchText(string repo, string branch, string message)
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateRepoAsync("r");
        var ex = await TestServer.ThrowsRpcAsync(StatusCode.NotFound, async () =>
            await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = TestServer.Repo(repo), Name = branch } }));
        Assert.Contains(message, ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateBranch_WithHead_MovesExistingBranch()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateRepoAsync("r");
        await server.PutAsync("r", "/a", "1");
        var first = (await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = TestServer.Repo("r"), Name = "master" } })).Head.Id;
        await server.PutAsync("r", "/a", "2");

        await server.Pfs.CreateBranchAsync(new CreateBranchRequest { Branch = new Branch { Repo = TestServer.Repo("r"), Name = "old" }, Head = TestServer.ById("r", first) });
        Assert.Equal("1", await server.GetTextAsync(TestServer.Head("r", "old"), "/a"));

        await server.Pfs.CreateBranchAsync(new CreateBranchRequest { Branch = new Branch { Repo = TestServer.Repo("r"), Name = "old" }, Head = TestServer.Head("r") });
        Assert.Equal("2", await server.GetTextAsync(TestServer.Head("r", "old"), "/a"));

        using var call = server.Pfs.ListBranch(new ListBranchRequest { Repo = TestServer.Repo("r") });
        var names = (await call.ResponseStream.ReadAllAsync().ToListAsync()).ConvertAll(b => b.Branch.Name);
        Assert.Equal(["old", "master"], names);
    }

    [Fact]
    public async Task DeleteBranch_Missing_NoError()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateRepoAsync("r");
        await server.Pfs.DeleteBranchAsync(new DeleteBranchRequest { Branch = new Branch { Repo = TestServer.Repo("r"), Name = "nope" } });
        await server.Pfs.DeleteBranchAsync(new DeleteBranchRequest { Branch = new Branch { Repo = TestServer.Repo("r"), Name = "master" } });
        var repo = await server.Pfs.InspectRepoAsync(new InspectRepoRequest { Repo = TestServer.Repo("r") });
        Assert.Empty(repo.Branches);
    }

    [Fact]
    public async Task Projects_CreateInspectListDelete()
    {
        await using var server = await TestServer.StartAsync();
        var info = await server.Pfs.InspectProjectAsync(new InspectProjectRequest { Project = new Project { Name = "default" } });
        Assert.Equal("default", info.Project.Name);
        await server.Pfs.CreateProjectAsync(new CreateProjectRequest { Project = new Project { Name = "p" } });
        await TestServer.ThrowsRpcAsync(StatusCode.AlreadyExists, async () =>
            await server.Pfs.CreateProjectAsync(new CreateProjectRequest { Project = new Project { Name = "p" } }));
        await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = TestServer.Repo("r", "p") });

        await TestServer.ThrowsRpcAsync(StatusCode.FailedPrecondition, async () =>
            await server.Pfs.DeleteProjectAsync(new DeleteProjectRequest { Project = new Project { Name = "p" } }));
        await server.Pfs.DeleteProjectAsync(new DeleteProjectRequest { Project = new Project { Name = "p" }, Force = true });

        var ex = await TestServer.ThrowsRpcAsync(StatusCode.NotFound, async () =>
            await server.Pfs.InspectProjectAsync(new InspectProjectRequest { Project = new Project { Name = "p" } }));
        Assert.Equal("project \"p\" not found", ex.Status.Detail);
        using var call = server.Pfs.ListProject(new ListProjectRequest());
        Assert.Equal(["default"], (await call.ResponseStream.ReadAllAsync().ToListAsync()).ConvertAll(p => p.Project.Name));
    }

    [Fact]
    public async Task GetVersion_Reports2_11_6()
    {
        await using var server = await TestServer.StartAsync();
        var version = await server.Version.GetVersionAsync(new Google.Protobuf.WellKnownTypes.Empty());
        Assert.Equal((2u, 11u, 6u, "localpachd"), (version.Major, version.Minor, version.Micro, version.Additional));
    }
}
