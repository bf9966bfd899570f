using Gateway.Pachyderm.Protos.Pfs;
using Gateway.Pachyderm.Tests.Hosting;
using Gateway.Pachyderm.Tests.Support;
using Xunit;

namespace Gateway.Pachyderm.Tests.Contract;

/// <summary>
/// Every RPC of <see cref="IPachClient"/> and every error LocalPachd can produce, over a real loopback gRPC connection.
/// The same tests run against LocalPachd in this process and as a separate process (see the two subclasses).
/// Expectations follow real pachd semantics.
/// </summary>
public abstract partial class PachClientContractTests(PachdFixture fixture)
{
    internal const int MiB = 1024 * 1024;

    protected PachdFixture Fixture { get; } = fixture;

    protected IPachClient Client => Fixture.Client;

    private async Task<RepoRef> NewRepoAsync(string? project = null)
    {
        var repo = new RepoRef(project ?? RepoRef.DefaultProject, TestData.Name("repo"));
        await Client.CreateRepoAsync(repo);
        return repo;
    }

    private static BranchRef Master(RepoRef repo) => new(repo, "master");

    private async Task<byte[]> ReadFileAsync(CommitRef commit, string path, long offset = 0)
    {
        await using var stream = await Client.GetFileAsync(new FileRef(commit, path), offset);
        return await TestData.ReadAllAsync(stream);
    }

    private async Task PutBytesAsync(CommitRef commit, string path, byte[] content)
    {
        using var source = new MemoryStream(content, writable: false);
        await Client.PutFileAsync(commit, path, source);
    }

    private async Task<int> CommitCountAsync(RepoRef repo) => (await Client.ListCommitsAsync(repo).ToListAsync()).Count;

    // ---- version ----

    [Fact]
    public async Task GetVersion_Serving_ReturnsVersion()
    {
        var version = await Client.GetVersionAsync();

        Assert.True(version.Major >= 2, $"major {version.Major}");
    }

    // ---- projects ----

    [Fact]
    public async Task CreateProject_New_InspectAndListShowIt()
    {
        var project = TestData.Name("proj");

        await Client.CreateProjectAsync(project, "for tests");

        var info = await Client.InspectProjectAsync(project);
        Assert.Equal(project, info.Project.Name);
        Assert.Equal("for tests", info.Description);
        var all = await Client.ListProjectsAsync().ToListAsync();
        Assert.Contains(all, p => p.Project.Name == project);
        Assert.Contains(all, p => p.Project.Name == RepoRef.DefaultProject);
    }

    [Fact]
    public async Task CreateProject_Existing_AlreadyExists()
    {
        var project = TestData.Name("proj");
        await Client.CreateProjectAsync(project);

        var error = await Assert.ThrowsAsync<PachException>(() => Client.CreateProjectAsync(project));

        Assert.Equal(PachErrorKind.AlreadyExists, error.Kind);
    }

    [Fact]
    public async Task CreateProject_Update_ChangesDescription()
    {
        var project = TestData.Name("proj");
        await Client.CreateProjectAsync(project, "one");

        await Client.CreateProjectAsync(project, "two", update: true);

        Assert.Equal("two", (await Client.InspectProjectAsync(project)).Description);
    }

    [Fact]
    public async Task CreateProject_InvalidName_InvalidName()
    {
        var error = await Assert.ThrowsAsync<PachException>(() => Client.CreateProjectAsync("bad name!"));

        Assert.Equal(PachErrorKind.InvalidName, error.Kind);
    }

    [Fact]
    public async Task InspectProject_Missing_ProjectNotFound()
    {
        var error = await Assert.ThrowsAsync<PachException>(() => Client.InspectProjectAsync(TestData.Name("nope")));

        Assert.Equal(PachErrorKind.ProjectNotFound, error.Kind);
        Assert.True(error.IsNotFound);
    }

    [Fact]
    public async Task DeleteProject_Existing_Gone()
    {
        var project = TestData.Name("proj");
        await Client.CreateProjectAsync(project);

        await Client.DeleteProjectAsync(project);

        var error = await Assert.ThrowsAsync<PachException>(() => Client.InspectProjectAsync(project));
        Assert.Equal(PachErrorKind.ProjectNotFound, error.Kind);
    }

    // ---- repos ----

    [Fact]
    public async Task CreateRepo_New_InspectShowsIt()
    {
        var repo = RepoRef.InDefault(TestData.Name("repo"));

        await Client.CreateRepoAsync(repo, "pictures");

        var info = await Client.InspectRepoAsync(repo);
        Assert.Equal(repo, RepoRef.FromProto(info.Repo));
        Assert.Equal("pictures", info.Description);
    }

    [Fact]
    public async Task CreateRepo_Existing_AlreadyExists()
    {
        var repo = await NewRepoAsync();

        var error = await Assert.ThrowsAsync<PachException>(() => Client.CreateRepoAsync(repo));

        Assert.Equal(PachErrorKind.AlreadyExists, error.Kind);
    }

    [Fact]
    public async Task CreateRepo_Update_UpsertsDescription()
    {
        var repo = await NewRepoAsync();

        await Client.CreateRepoAsync(repo, "changed", update: true);

        Assert.Equal("changed", (await Client.InspectRepoAsync(repo)).Description);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("dot.name")]
    [InlineData("slash/name")]
    public async Task CreateRepo_InvalidName_InvalidName(string name)
    {
        var error = await Assert.ThrowsAsync<PachException>(() => Client.CreateRepoAsync(RepoRef.InDefault(name)));

        Assert.Equal(PachErrorKind.InvalidName, error.Kind);
    }

    [Fact]
    public async Task CreateRepo_MissingProject_ProjectNotFound()
    {
        var error = await Assert.ThrowsAsync<PachException>(() => Client.CreateRepoAsync(new RepoRef(TestData.Name("nope"), "repo")));

        Assert.Equal(PachErrorKind.ProjectNotFound, error.Kind);
    }

    [Fact]
    public async Task InspectRepo_Missing_RepoNotFound()
    {
        var error = await Assert.ThrowsAsync<PachException>(() => Client.InspectRepoAsync(RepoRef.InDefault(TestData.Name("nope"))));

        Assert.Equal(PachErrorKind.RepoNotFound, error.Kind);
    }

    [Fact]
    public async Task ListRepos_ByProject_OnlyThatProject()
    {
        var project = TestData.Name("proj");
        await Client.CreateProjectAsync(project);
        var inProject = await NewRepoAsync(project);
        var inDefault = await NewRepoAsync();

        var listed = (await Client.ListReposAsync(projects: [project]).ToListAsync()).Select(r => RepoRef.FromProto(r.Repo)).ToList();
        var everything = (await Client.ListReposAsync().ToListAsync()).Select(r => RepoRef.FromProto(r.Repo)).ToList();

        Assert.Equal([inProject], listed);
        Assert.Contains(inProject, everything);
        Assert.Contains(inDefault, everything);
    }

    [Fact]
    public async Task ListRepos_RepoWithBranch_ListsBranch()
    {
        var repo = await NewRepoAsync();
        await Client.CreateBranchAsync(Master(repo));

        var info = (await Client.ListReposAsync().ToListAsync()).Single(r => RepoRef.FromProto(r.Repo) == repo);

        Assert.Contains(info.Branches, b => b.Name == "master");
    }

    [Fact]
    public async Task DeleteRepo_Existing_DeletedAndGone()
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, "/a", [1, 2, 3]);

        var deleted = await Client.DeleteRepoAsync(repo, force: true);

        Assert.True(deleted);
        var error = await Assert.ThrowsAsync<PachException>(() => Client.InspectRepoAsync(repo));
        Assert.Equal(PachErrorKind.RepoNotFound, error.Kind);
    }

    // ---- branches ----

    [Fact]
    public async Task CreateBranch_NoHead_EmptyHeadCommit()
    {
        var repo = await NewRepoAsync();

        await Client.CreateBranchAsync(Master(repo));

        var info = await Client.InspectBranchAsync(Master(repo));
        Assert.Equal("master", info.Branch.Name);
        Assert.False(string.IsNullOrEmpty(info.Head?.Id));
        Assert.Empty(await Client.GlobFileAsync(Master(repo).Head, "/*").ToListAsync());
    }

    [Fact]
    public async Task CreateBranch_WithHead_PointsAtThatCommit()
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, "/a", [1]);
        var first = (await Client.InspectBranchAsync(Master(repo))).Head.Id;
        await PutBytesAsync(Master(repo).Head, "/b", [2]);
        var feature = new BranchRef(repo, "feature");

        await Client.CreateBranchAsync(feature, CommitRef.ById(repo, first));

        Assert.Equal(first, (await Client.InspectBranchAsync(feature)).Head.Id);
        Assert.Equal([1], await ReadFileAsync(feature.Head, "/a"));
        var error = await Assert.ThrowsAsync<PachException>(() => Client.InspectFileAsync(new FileRef(feature.Head, "/b")));
        Assert.Equal(PachErrorKind.FileNotFound, error.Kind);
    }

    [Fact]
    public async Task CreateBranch_InvalidName_InvalidName()
    {
        var repo = await NewRepoAsync();

        var error = await Assert.ThrowsAsync<PachException>(() => Client.CreateBranchAsync(new BranchRef(repo, "bad branch")));

        Assert.Equal(PachErrorKind.InvalidName, error.Kind);
    }

    [Fact]
    public async Task InspectBranch_Missing_BranchNotFound()
    {
        var repo = await NewRepoAsync();

        var error = await Assert.ThrowsAsync<PachException>(() => Client.InspectBranchAsync(new BranchRef(repo, "nope")));

        Assert.Equal(PachErrorKind.BranchNotFound, error.Kind);
    }

    [Fact]
    public async Task InspectBranch_MissingRepo_NotFound()
    {
        var error = await Assert.ThrowsAsync<PachException>(() => Client.InspectBranchAsync(Master(RepoRef.InDefault(TestData.Name("nope")))));

        // pachd names the branch in this text (and may wrap the repo error); either kind means "no such bucket".
        Assert.Contains(error.Kind, new[] { PachErrorKind.BranchNotFound, PachErrorKind.RepoNotFound });
    }

    [Fact]
    public async Task ListBranches_TwoBranches_ListsBoth()
    {
        var repo = await NewRepoAsync();
        await Client.CreateBranchAsync(Master(repo));
        await Client.CreateBranchAsync(new BranchRef(repo, "dev"));

        var names = (await Client.ListBranchesAsync(repo).ToListAsync()).Select(b => b.Branch.Name).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["dev", "master"], names);
    }

    [Fact]
    public async Task ListBranches_MissingRepo_RepoNotFound()
    {
        var error = await Assert.ThrowsAsync<PachException>(() => Client.ListBranchesAsync(RepoRef.InDefault(TestData.Name("nope"))).ToListAsync());

        Assert.Equal(PachErrorKind.RepoNotFound, error.Kind);
    }

    [Fact]
    public async Task DeleteBranch_Existing_Gone()
    {
        var repo = await NewRepoAsync();
        await Client.CreateBranchAsync(new BranchRef(repo, "dev"));

        await Client.DeleteBranchAsync(new BranchRef(repo, "dev"));

        var error = await Assert.ThrowsAsync<PachException>(() => Client.InspectBranchAsync(new BranchRef(repo, "dev")));
        Assert.Equal(PachErrorKind.BranchNotFound, error.Kind);
    }

    // ---- commits ----

    [Fact]
    public async Task StartCommit_WritesThenFinish_OneCommitWithAllFiles()
    {
        var repo = await NewRepoAsync();
        await Client.CreateBranchAsync(Master(repo));
        var before = await CommitCountAsync(repo);

        var commit = await Client.StartCommitAsync(Master(repo), description: "batch");
        await PutBytesAsync(Master(repo).Head, "/one", [1]);
        await PutBytesAsync(commit, "/two", [2]);
        await Client.FinishCommitAsync(commit);

        Assert.Equal(before + 1, await CommitCountAsync(repo));
        var info = await Client.InspectCommitAsync(commit, CommitState.Finished);
        Assert.Equal(commit.Id, info.Commit.Id);
        Assert.Equal("batch", info.Description);
        Assert.NotNull(info.Finished);
        Assert.Equal(commit.Id, (await Client.InspectBranchAsync(Master(repo))).Head.Id);
        Assert.Equal([1], await ReadFileAsync(Master(repo).Head, "/one"));
        Assert.Equal([2], await ReadFileAsync(Master(repo).Head, "/two"));
    }

    [Fact]
    public async Task InspectCommit_Open_NotFinished()
    {
        var repo = await NewRepoAsync();
        var commit = await Client.StartCommitAsync(Master(repo));

        var info = await Client.InspectCommitAsync(commit);

        Assert.Null(info.Finished);
        Assert.Equal(commit.Id, info.Commit.Id);
    }

    [Fact]
    public async Task ModifyFile_FinishedExplicitCommit_CommitFinished()
    {
        var repo = await NewRepoAsync();
        var commit = await Client.StartCommitAsync(Master(repo));
        await Client.FinishCommitAsync(commit);

        var error = await Assert.ThrowsAsync<PachException>(() => PutBytesAsync(CommitRef.ById(repo, commit.Id!), "/late", [1]));

        Assert.Equal(PachErrorKind.CommitFinished, error.Kind);
    }

    [Fact]
    public async Task FinishCommit_AlreadyFinished_CommitFinished()
    {
        var repo = await NewRepoAsync();
        var commit = await Client.StartCommitAsync(Master(repo));
        await Client.FinishCommitAsync(commit);

        var error = await Assert.ThrowsAsync<PachException>(() => Client.FinishCommitAsync(CommitRef.ById(repo, commit.Id!)));

        Assert.Equal(PachErrorKind.CommitFinished, error.Kind);
    }

    [Fact]
    public async Task InspectCommit_Missing_CommitNotFound()
    {
        var repo = await NewRepoAsync();

        var error = await Assert.ThrowsAsync<PachException>(() => Client.InspectCommitAsync(CommitRef.ById(repo, "0123456789ab4def0123456789abcdef")));

        Assert.Equal(PachErrorKind.CommitNotFound, error.Kind);
    }

    [Fact]
    public async Task ListCommits_ThreeWrites_NewestFirstAndLimited()
    {
        var repo = await NewRepoAsync();
        await Client.CreateBranchAsync(Master(repo));
        var before = await CommitCountAsync(repo);
        var heads = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await PutBytesAsync(Master(repo).Head, $"/f{i}", [(byte)i]);
            heads.Add((await Client.InspectBranchAsync(Master(repo))).Head.Id);
        }

        var all = await Client.ListCommitsAsync(repo, Master(repo).Head).ToListAsync();
        var two = await Client.ListCommitsAsync(repo, Master(repo).Head, number: 2).ToListAsync();

        Assert.Equal(before + 3, all.Count);
        Assert.Equal([heads[2], heads[1], heads[0]], all.Take(3).Select(c => c.Commit.Id));
        Assert.Equal([heads[2], heads[1]], two.Select(c => c.Commit.Id));
        Assert.Equal(heads[1], all[0].ParentCommit.Id);

        // From a commit (exclusive): what came after it; from a commit that is no ancestor: down to the first commit.
        var after = await Client.ListCommitsAsync(repo, Master(repo).Head, from: CommitRef.ById(repo, heads[0])).ToListAsync();
        var elsewhere = await Client.ListCommitsAsync(repo, CommitRef.ById(repo, heads[1]), from: CommitRef.ById(repo, heads[2])).ToListAsync();
        Assert.Equal([heads[2], heads[1]], after.Select(c => c.Commit.Id));
        Assert.Equal(all.Skip(1).Select(c => c.Commit.Id), elsewhere.Select(c => c.Commit.Id));
    }

    [Fact]
    public async Task ListCommits_MissingRepo_RepoNotFound()
    {
        var error = await Assert.ThrowsAsync<PachException>(() => Client.ListCommitsAsync(RepoRef.InDefault(TestData.Name("nope"))).ToListAsync());

        Assert.Equal(PachErrorKind.RepoNotFound, error.Kind);
    }

    // ---- files: write and read ----

    [Fact]
    public async Task PutFile_MultiChunk_ReadsBackIdentical()
    {
        var repo = await NewRepoAsync();
        var content = TestData.Bytes((5 * MiB) + 123, seed: 1);

        await PutBytesAsync(Master(repo).Head, "/big.bin", content);

        Assert.Equal(content, await ReadFileAsync(Master(repo).Head, "/big.bin"));
        await using var stream = await Client.GetFileAsync(new FileRef(Master(repo).Head, "/big.bin"));
        Assert.Equal(content, await TestData.ReadAllInPiecesAsync(stream, 7919));
        var info = await Client.InspectFileAsync(new FileRef(Master(repo).Head, "/big.bin"));
        Assert.Equal(content.Length, info.SizeBytes);
        Assert.Equal(FileType.File, info.FileType);
        Assert.Equal("/big.bin", info.File.Path);
    }

    [Fact]
    public async Task PutFile_WrappedReusedBuffer_ReadsBackIdentical()
    {
        // Guards the wrapped-buffer upload option: if Grpc.Net.Client ever serialized a message after WriteAsync
        // completed, the next fill of the reused buffer would corrupt the previous chunk and this would fail.
        using var wrapping = PachClient.Create(new PachClientOptions
        {
            Address = Fixture.Host.Address.ToString(),
            AddFileChunkSize = 64 * 1024,
            WrapUploadBuffers = true,
        });
        var repo = await NewRepoAsync();
        var content = TestData.Bytes((3 * MiB) + 1, seed: 5);

        using (var source = new MemoryStream(content, writable: false))
        {
            await wrapping.PutFileAsync(Master(repo).Head, "/wrapped.bin", source);
        }

        Assert.Equal(content, await ReadFileAsync(Master(repo).Head, "/wrapped.bin"));
    }

    /// <summary>
    /// A streamed AddFile starts in a small buffer and moves to a chunk-sized one only when the content outgrows it:
    /// every size around both boundaries reads back identical, with copied and with wrapped buffers.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData((64 * 1024) - 1)]
    [InlineData(64 * 1024)]
    [InlineData((64 * 1024) + 1)]
    [InlineData((256 * 1024) - 1)]
    [InlineData(256 * 1024)]
    [InlineData((256 * 1024) + 1)]
    [InlineData((3 * 256 * 1024) + 7)]
    public async Task PutFile_SizesAroundTheBufferBoundaries_ReadBackIdentical(int size)
    {
        var repo = await NewRepoAsync();
        var content = TestData.Bytes(size, seed: size);
        foreach (var wrap in new[] { false, true })
        {
            using var client = PachClient.Create(new PachClientOptions
            {
                Address = Fixture.Host.Address.ToString(),
                AddFileChunkSize = 256 * 1024,
                WrapUploadBuffers = wrap,
            });
            using (var source = new MemoryStream(content, writable: false))
            {
                await client.PutFileAsync(Master(repo).Head, $"/f{wrap}", source);
            }

            Assert.Equal(content, await ReadFileAsync(Master(repo).Head, $"/f{wrap}"));
        }
    }

    [Fact]
    public async Task PutFile_Existing_Overwrites()
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, "/a", TestData.Bytes(1000, 2));

        await PutBytesAsync(Master(repo).Head, "/a", [9, 8, 7]);

        Assert.Equal([9, 8, 7], await ReadFileAsync(Master(repo).Head, "/a"));
    }

    [Fact]
    public async Task PutFile_EmptyStream_EmptyFileExists()
    {
        var repo = await NewRepoAsync();

        await PutBytesAsync(Master(repo).Head, "/empty", []);

        var info = await Client.InspectFileAsync(new FileRef(Master(repo).Head, "/empty"));
        Assert.Equal(0, info.SizeBytes);
        Assert.Empty(await ReadFileAsync(Master(repo).Head, "/empty"));
    }

    [Fact]
    public async Task PutFile_NewBranch_CreatesBranchWithOneCommit()
    {
        var repo = await NewRepoAsync();

        await PutBytesAsync(new BranchRef(repo, "fresh").Head, "/a", [1]);

        var head = await Client.InspectBranchAsync(new BranchRef(repo, "fresh"));
        Assert.NotNull((await Client.InspectCommitAsync(CommitRef.ById(repo, head.Head.Id))).Finished);
    }

    [Fact]
    public async Task PutFile_FinishedHead_OneNewCommitPerCall()
    {
        var repo = await NewRepoAsync();
        await Client.CreateBranchAsync(Master(repo));
        var before = await CommitCountAsync(repo);

        await PutBytesAsync(Master(repo).Head, "/a", [1]);
        await PutBytesAsync(Master(repo).Head, "/b", [2]);

        Assert.Equal(before + 2, await CommitCountAsync(repo));
    }

    [Fact]
    public async Task ModifyFile_FinishedHead_NamesTheCommitItCreated()
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, "/a", [1]);

        var created = await Client.ModifyFileAsync(Master(repo).Head, w => w.DeleteFileAsync("/a"));
        await PutBytesAsync(Master(repo).Head, "/b", [2]);

        var commits = await Client.ListCommitsAsync(repo).Select(c => c.Commit.Id).ToListAsync();
        Assert.Equal(commits[1], created);
        Assert.Empty(await Client.ListFileAsync(new FileRef(CommitRef.ById(repo, created!), "/")).ToListAsync());
    }

    [Fact]
    public async Task ModifyFile_OpenHead_NamesNoCommit()
    {
        var repo = await NewRepoAsync();
        var open = await Client.StartCommitAsync(Master(repo));

        var created = await Client.ModifyFileAsync(Master(repo).Head, w => w.DeleteFileAsync("/a"));

        Assert.Null(created);
        Assert.Equal(open.Id, (await Client.InspectBranchAsync(Master(repo))).Head.Id);
    }

    [Theory]
    [InlineData("/dir/f.bin", 5 * MiB + 3)]
    [InlineData("/a\\5Bb", 10)]
    [InlineData("/empty", 0)]
    public async Task ModifyFileDescribed_DescribesItsLastAddedFileAsInspectFileDoesAtTheCreatedCommit(string path, int size)
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, path, [9, 9]);

        var result = await Client.ModifyFileDescribedAsync(Master(repo).Head, async w =>
        {
            await w.AddFileAsync("/first", new byte[] { 1 });
            await w.DeleteFileAsync(path);
            await w.AddFileAsync(path, TestData.Bytes(size, 5));
        });

        Assert.NotNull(result.CreatedCommit);
        Assert.Equal((await Client.InspectBranchAsync(Master(repo))).Head.Id, result.CreatedCommit);
        var inspected = await Client.InspectFileAsync(new FileRef(CommitRef.ById(repo, result.CreatedCommit), path));
        Assert.Equal(inspected, result.LastAdded);
        Assert.Equal(size, result.LastAdded!.SizeBytes);
    }

    [Fact]
    public async Task ModifyFileDescribed_NothingToDescribe_NoDescription()
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, "/a", [1]);

        // No file added; the last added file deleted again; a write into an open commit (no commit created).
        var deleted = await Client.ModifyFileDescribedAsync(Master(repo).Head, w => w.DeleteFileAsync("/a"));
        var gone = await Client.ModifyFileDescribedAsync(Master(repo).Head, async w =>
        {
            await w.AddFileAsync("/b", new byte[] { 2 });
            await w.DeleteFileAsync("/b");
        });
        await Client.StartCommitAsync(Master(repo));
        var open = await Client.ModifyFileDescribedAsync(Master(repo).Head, w => w.AddFileAsync("/c", new byte[] { 3 }));

        Assert.NotNull(deleted.CreatedCommit);
        Assert.Null(deleted.LastAdded);
        Assert.NotNull(gone.CreatedCommit);
        Assert.Null(gone.LastAdded);
        Assert.Equal(new ModifyFileResult(null, null), open);
    }

    [Fact]
    public async Task AddFile_TwiceInOneStream_Appends()
    {
        var repo = await NewRepoAsync();

        await Client.ModifyFileAsync(Master(repo).Head, async w =>
        {
            await w.AddFileAsync("/log", new byte[] { 1, 2 });
            await w.AddFileAsync("/log", new MemoryStream([3, 4]));
        });

        Assert.Equal([1, 2, 3, 4], await ReadFileAsync(Master(repo).Head, "/log"));
    }

    [Fact]
    public async Task DeleteFile_FileAndDirectory_Removed()
    {
        var repo = await NewRepoAsync();
        await Client.ModifyFileAsync(Master(repo).Head, async w =>
        {
            await w.AddFileAsync("/keep", new byte[] { 1 });
            await w.AddFileAsync("/gone", new byte[] { 2 });
            await w.AddFileAsync("/dir/x", new byte[] { 3 });
            await w.AddFileAsync("/dir/sub/y", new byte[] { 4 });
        });

        await Client.ModifyFileAsync(Master(repo).Head, async w =>
        {
            await w.DeleteFileAsync("/gone");
            await w.DeleteFileAsync("/dir/");
        });

        var paths = (await Client.GlobFileAsync(Master(repo).Head, "**").ToListAsync()).Select(f => f.File.Path).Where(p => p != "/");
        Assert.Equal(["/keep"], paths);
    }

    [Fact]
    public async Task DeleteFile_Missing_NoErrorAndNewCommit()
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, "/a", [1]);
        var before = await CommitCountAsync(repo);

        await Client.ModifyFileAsync(Master(repo).Head, w => w.DeleteFileAsync("/never-existed"));

        Assert.Equal(before + 1, await CommitCountAsync(repo));
    }

    [Fact]
    public async Task CopyFile_FromOtherRepo_SameContent()
    {
        var source = await NewRepoAsync();
        var target = await NewRepoAsync();
        var content = TestData.Bytes(3 * MiB, 3);
        await PutBytesAsync(Master(source).Head, "/src/data.bin", content);

        await Client.ModifyFileAsync(Master(target).Head, w => w.CopyFileAsync("/copied/data.bin", new FileRef(Master(source).Head, "/src/data.bin")));

        Assert.Equal(content, await ReadFileAsync(Master(target).Head, "/copied/data.bin"));
    }

    [Fact]
    public async Task CopyFile_Append_Concatenates()
    {
        var repo = await NewRepoAsync();
        await Client.ModifyFileAsync(Master(repo).Head, async w =>
        {
            await w.AddFileAsync("/a", new byte[] { 1, 2 });
            await w.AddFileAsync("/b", new byte[] { 3 });
        });

        await Client.ModifyFileAsync(Master(repo).Head, w => w.CopyFileAsync("/a", new FileRef(Master(repo).Head, "/b"), append: true));

        Assert.Equal([1, 2, 3], await ReadFileAsync(Master(repo).Head, "/a"));
    }

    [Theory]
    [InlineData("/has*star")]
    [InlineData("/question?")]
    [InlineData("/a/../b")]
    [InlineData("/ctrl\u0001char")]
    public async Task ModifyFile_InvalidPath_InvalidPath(string path)
    {
        var repo = await NewRepoAsync();

        var error = await Assert.ThrowsAsync<PachException>(() => PutBytesAsync(Master(repo).Head, path, [1]));

        Assert.Equal(PachErrorKind.InvalidPath, error.Kind);
    }

    [Fact]
    public async Task ModifyFile_MissingRepo_RepoNotFound()
    {
        var missing = RepoRef.InDefault(TestData.Name("nope"));

        var error = await Assert.ThrowsAsync<PachException>(() => PutBytesAsync(Master(missing).Head, "/a", [1]));

        Assert.Equal(PachErrorKind.RepoNotFound, error.Kind);
    }

    [Fact]
    public async Task GetFile_Offset_SkipsBytes()
    {
        var repo = await NewRepoAsync();
        var content = TestData.Bytes((3 * MiB) + 17, 4);
        await PutBytesAsync(Master(repo).Head, "/f", content);

        var tail = await ReadFileAsync(Master(repo).Head, "/f", offset: (2 * MiB) + 5);

        Assert.Equal(content[((2 * MiB) + 5)..], tail);
    }

    [Theory]
    [InlineData("/a\\5Bb", "/a5Bb")]
    [InlineData("/dir\\x/f", "/dirx/f")]
    [InlineData("/trailing\\", "/trailing")]
    public async Task GetFile_NameWithGlobEscape_ReadsExactlyThatFile(string path, string lookalike)
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, path, [1, 2, 3]);
        await PutBytesAsync(Master(repo).Head, lookalike, [9]);

        Assert.Equal([1, 2, 3], await ReadFileAsync(Master(repo).Head, path));
        Assert.Equal([9], await ReadFileAsync(Master(repo).Head, lookalike));
    }

    [Fact]
    public async Task GetFile_Missing_ThrowsFromCall()
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, "/a", [1]);

        var error = await Assert.ThrowsAsync<PachException>(() => Client.GetFileAsync(new FileRef(Master(repo).Head, "/nope")));

        Assert.Equal(PachErrorKind.FileNotFound, error.Kind);
    }

    [Fact]
    public async Task GetFile_Directory_NotAFile()
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, "/dir/a", [1]);

        var error = await Assert.ThrowsAsync<PachException>(() => Client.GetFileAsync(new FileRef(Master(repo).Head, "/dir")));

        Assert.Equal(PachErrorKind.NotAFile, error.Kind);
    }

    [Fact]
    public async Task GetFile_MissingBranch_BranchNotFound()
    {
        var repo = await NewRepoAsync();

        var error = await Assert.ThrowsAsync<PachException>(() => Client.GetFileAsync(new FileRef(new BranchRef(repo, "nope").Head, "/a")));

        Assert.Equal(PachErrorKind.BranchNotFound, error.Kind);
    }

    [Fact]
    public async Task GetFile_DisposedMidStream_ClientStillWorks()
    {
        var repo = await NewRepoAsync();
        await Client.PutFileAsync(Master(repo).Head, "/big", new GeneratedStream(24L * MiB));

        var stream = await Client.GetFileAsync(new FileRef(Master(repo).Head, "/big"));
        var buffer = new byte[1000];
        Assert.True(await stream.ReadAsync(buffer) > 0);
        await stream.DisposeAsync();

        await Client.GetVersionAsync();
        Assert.Equal(24L * MiB, (await Client.InspectFileAsync(new FileRef(Master(repo).Head, "/big"))).SizeBytes);
    }

    [Fact]
    public async Task GetFile_ExplicitOldCommit_OldContent()
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, "/v", [1]);
        var old = (await Client.InspectBranchAsync(Master(repo))).Head.Id;
        await PutBytesAsync(Master(repo).Head, "/v", [2]);

        Assert.Equal([1], await ReadFileAsync(CommitRef.ById(repo, old), "/v"));
        Assert.Equal([2], await ReadFileAsync(Master(repo).Head, "/v"));
    }

    [Theory]
    [InlineData("/dir/f.bin", 5 * MiB + 3)]
    [InlineData("/a\\5Bb", 10)]
    [InlineData("/empty", 0)]
    public async Task OpenFile_DescribesTheFileItServesAsInspectFileDoes(string path, int size)
    {
        var repo = await NewRepoAsync();
        var content = TestData.Bytes(size, 7);
        await PutBytesAsync(Master(repo).Head, path, content);
        await PutBytesAsync(Master(repo).Head, "/later", [1]);
        var inspected = await Client.InspectFileAsync(new FileRef(Master(repo).Head, path));

        var download = await Client.OpenFileAsync(new FileRef(Master(repo).Head, path));

        Assert.NotNull(download);
        await using var stream = download.Content;
        Assert.Equal(content, await TestData.ReadAllAsync(stream));
        Assert.Equal(inspected, download.Info);
    }

    [Fact]
    public async Task OpenFile_AllBytesReadOneByOne_CallEndsOkNotCancelled()
    {
        var repo = await NewRepoAsync();
        var content = TestData.Bytes((5 * MiB) + 11, 3);
        await PutBytesAsync(Master(repo).Head, "/f", content);
        var ended = new List<string?>();
        using var test = new System.Diagnostics.Activity("OpenFile test").Start();
        var traceId = test.TraceId;
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Grpc.Net.Client",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId && activity.GetTagItem("grpc.method") is string method && method.EndsWith("/GetFile", StringComparison.Ordinal))
                {
                    lock (ended)
                    {
                        ended.Add(activity.GetTagItem("grpc.status_code")?.ToString());
                    }
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        var download = await Client.OpenFileAsync(new FileRef(Master(repo).Head, "/f"));
        Assert.NotNull(download);
        var read = new byte[content.Length];
        var total = 0;
        while (total < read.Length)
        {
            // Exactly the promised bytes, as a response writer reads them: never a read past the end.
            total += await download.Content.ReadAsync(read.AsMemory(total, Math.Min(100_000, read.Length - total)));
        }

        await download.Content.DisposeAsync();

        Assert.Equal(content, read);
        lock (ended)
        {
            Assert.Equal(["0"], ended);
        }
    }

    [Fact]
    public async Task OpenFile_Missing_FileNotFoundAndDirectory_NotAFile()
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, "/dir/a", [1]);

        var missing = await Assert.ThrowsAsync<PachException>(() => Client.OpenFileAsync(new FileRef(Master(repo).Head, "/nope")));
        var directory = await Assert.ThrowsAsync<PachException>(() => Client.OpenFileAsync(new FileRef(Master(repo).Head, "/dir")));

        Assert.Equal(PachErrorKind.FileNotFound, missing.Kind);
        Assert.Equal(PachErrorKind.NotAFile, directory.Kind);
        var file = await Client.OpenFileAsync(new FileRef(Master(repo).Head, "/dir/a"));
        Assert.NotNull(file);
        await file.Content.DisposeAsync();
    }

    // ---- files: listing ----

    private async Task<RepoRef> TreeRepoAsync()
    {
        var repo = await NewRepoAsync();
        await Client.ModifyFileAsync(Master(repo).Head, async w =>
        {
            await w.AddFileAsync("/a.txt", new byte[] { 1 });
            await w.AddFileAsync("/d/b.txt", new byte[] { 1, 2 });
            await w.AddFileAsync("/d/e/c.txt", new byte[] { 1, 2, 3 });
            for (var i = 0; i < 10; i++)
            {
                await w.AddFileAsync($"/p/f{i:00}", new byte[] { (byte)i });
            }
        });
        return repo;
    }

    [Fact]
    public async Task InspectFile_Directory_DirWithTotalSize()
    {
        var repo = await TreeRepoAsync();

        var info = await Client.InspectFileAsync(new FileRef(Master(repo).Head, "/d"));

        Assert.Equal(FileType.Dir, info.FileType);
        Assert.Equal("/d/", info.File.Path);
        Assert.Equal(5, info.SizeBytes);
    }

    [Fact]
    public async Task InspectFile_Missing_FileNotFound()
    {
        var repo = await TreeRepoAsync();

        var error = await Assert.ThrowsAsync<PachException>(() => Client.InspectFileAsync(new FileRef(Master(repo).Head, "/zzz")));

        Assert.Equal(PachErrorKind.FileNotFound, error.Kind);
    }

    [Fact]
    public async Task ListFile_Root_DirectChildrenDirsWithSlash()
    {
        var repo = await TreeRepoAsync();

        var paths = (await Client.ListFileAsync(new FileRef(Master(repo).Head, "/")).ToListAsync()).Select(f => f.File.Path);

        Assert.Equal(["/a.txt", "/d/", "/p/"], paths);
    }

    [Fact]
    public async Task ListFile_MarkerAndNumber_Pages()
    {
        var repo = await TreeRepoAsync();
        var dir = new FileRef(Master(repo).Head, "/p");

        var first = (await Client.ListFileAsync(dir, number: 3).ToListAsync()).Select(f => f.File.Path).ToList();
        var second = (await Client.ListFileAsync(dir, paginationMarker: first[^1], number: 3).ToListAsync()).Select(f => f.File.Path);
        var reversed = (await Client.ListFileAsync(dir, number: 2, reverse: true).ToListAsync()).Select(f => f.File.Path);

        Assert.Equal(["/p/f00", "/p/f01", "/p/f02"], first);
        Assert.Equal(["/p/f03", "/p/f04", "/p/f05"], second);
        Assert.Equal(["/p/f09", "/p/f08"], reversed);
    }

    [Fact]
    public async Task ListFile_MissingDirectory_FileNotFound()
    {
        var repo = await TreeRepoAsync();

        var error = await Assert.ThrowsAsync<PachException>(() => Client.ListFileAsync(new FileRef(Master(repo).Head, "/nothing")).ToListAsync());

        Assert.Equal(PachErrorKind.FileNotFound, error.Kind);
    }

    [Fact]
    public async Task GlobFile_DoubleStar_FilesAndDirsInPathOrder()
    {
        var repo = await TreeRepoAsync();

        var paths = (await Client.GlobFileAsync(Master(repo).Head, "**").ToListAsync()).Select(f => f.File.Path).Where(p => p != "/").ToList();

        var expected = new List<string> { "/a.txt", "/d/", "/d/b.txt", "/d/e/", "/d/e/c.txt", "/p/" };
        expected.AddRange(Enumerable.Range(0, 10).Select(i => $"/p/f{i:00}"));
        Assert.Equal(expected, paths);
    }

    [Fact]
    public async Task GlobFile_SingleStar_DoesNotCrossSlash()
    {
        var repo = await TreeRepoAsync();

        var paths = (await Client.GlobFileAsync(Master(repo).Head, "/d/*").ToListAsync()).Select(f => f.File.Path);

        Assert.Equal(["/d/b.txt", "/d/e/"], paths);
    }

    [Fact]
    public async Task GlobFile_PathRange_LowerInclusiveUpperExclusive()
    {
        var repo = await TreeRepoAsync();

        var paths = (await Client.GlobFileAsync(Master(repo).Head, "**", new PathRange { Lower = "/p/f03", Upper = "/p/f06" }).ToListAsync())
            .Select(f => f.File.Path);

        Assert.Equal(["/p/f03", "/p/f04", "/p/f05"], paths);
    }

    [Fact]
    public async Task WalkFile_Directory_RecursiveInOrder()
    {
        var repo = await TreeRepoAsync();

        var paths = (await Client.WalkFileAsync(new FileRef(Master(repo).Head, "/d")).ToListAsync()).Select(f => f.File.Path);

        Assert.Equal(["/d/", "/d/b.txt", "/d/e/", "/d/e/c.txt"], paths);
    }

    [Fact]
    public async Task WalkFile_MarkerAndNumber_Pages()
    {
        var repo = await TreeRepoAsync();

        var page = (await Client.WalkFileAsync(new FileRef(Master(repo).Head, "/p"), paginationMarker: "/p/f04", number: 2).ToListAsync()).Select(f => f.File.Path);

        Assert.Equal(["/p/f05", "/p/f06"], page);
    }

    [Fact]
    public async Task WalkFile_EmptyRoot_EmptyStream()
    {
        var repo = await NewRepoAsync();
        await Client.CreateBranchAsync(Master(repo));

        var entries = await Client.WalkFileAsync(new FileRef(Master(repo).Head, "/")).ToListAsync();

        Assert.Empty(entries);
    }

    [Fact]
    public async Task WalkFile_Missing_FileNotFound()
    {
        var repo = await TreeRepoAsync();

        var error = await Assert.ThrowsAsync<PachException>(() => Client.WalkFileAsync(new FileRef(Master(repo).Head, "/nothing")).ToListAsync());

        Assert.Equal(PachErrorKind.FileNotFound, error.Kind);
    }

    [Fact]
    public async Task GlobFile_EnumerationCancelled_Throws()
    {
        var repo = await TreeRepoAsync();
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Client.GlobFileAsync(Master(repo).Head, "**").WithCancellation(cts.Token))
            {
                await cts.CancelAsync();
            }
        });
    }
}
