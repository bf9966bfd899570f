using Gateway.Pachyderm.Protos.Pfs;
using Gateway.Pachyderm.Tests.Support;
using Xunit;

namespace Gateway.Pachyderm.Tests.Contract;

public abstract partial class PachClientContractTests
{
    /// <summary>"+path" added, "-path" deleted, "~path" changed.</summary>
    private static List<string> Describe(IEnumerable<FileDiff> diffs) => diffs.Select(d =>
        (d.New, d.Old) switch
        {
            (not null, null) => "+" + d.Path,
            (null, not null) => "-" + d.Path,
            _ => "~" + d.Path,
        }).ToList();

    private async Task<string> HeadIdAsync(RepoRef repo) => (await Client.InspectBranchAsync(Master(repo))).Head.Id;

    /// <summary>Two commits: adds, a change and deletes in nested directories, around an untouched directory.</summary>
    private async Task<(RepoRef Repo, string First, string Second)> DiffRepoAsync()
    {
        var repo = await NewRepoAsync();
        await Client.ModifyFileAsync(Master(repo).Head, async w =>
        {
            await w.AddFileAsync("/keep/a", new byte[] { 1 });
            await w.AddFileAsync("/d/x", new byte[] { 2 });
            await w.AddFileAsync("/d/sub/y", new byte[] { 3 });
            await w.AddFileAsync("/d/sub/z", new byte[] { 4 });
            await w.AddFileAsync("/gone/g", new byte[] { 5 });
        });
        var first = await HeadIdAsync(repo);
        await Client.ModifyFileAsync(Master(repo).Head, async w =>
        {
            await w.DeleteFileAsync("/d/sub/y");
            await w.AddFileAsync("/d/sub/y", new byte[] { 3, 3 });
            await w.DeleteFileAsync("/d/x");
            await w.DeleteFileAsync("/gone/");
            await w.AddFileAsync("/d/sub/new", new byte[] { 6 });
            await w.AddFileAsync("/e/f/g", new byte[] { 7 });
        });
        return (repo, first, await HeadIdAsync(repo));
    }

    [Fact]
    public async Task DiffFile_AddChangeDelete_PairsInPathOrder()
    {
        var (repo, first, second) = await DiffRepoAsync();

        var diffs = await Client.DiffFileAsync(new FileRef(CommitRef.ById(repo, second), "/"), new FileRef(CommitRef.ById(repo, first), "/")).ToListAsync();

        Assert.Equal(["+/d/sub/new", "~/d/sub/y", "-/d/x", "+/e/f/g", "-/gone/g"], Describe(diffs));
        var changed = diffs[1];
        Assert.Equal(second, changed.New!.File.Commit.Id);
        Assert.Equal(first, changed.Old!.File.Commit.Id);
        Assert.Equal((2L, 1L), (changed.New.SizeBytes, changed.Old.SizeBytes));
        Assert.Equal(FileType.File, changed.New.FileType);
        Assert.NotEqual(changed.New.Hash, changed.Old.Hash);
        Assert.Equal("/d/x", diffs[2].Old!.File.Path);
        Assert.Equal(first, diffs[2].Old!.File.Commit.Id);
        Assert.Equal(second, diffs[0].New!.File.Commit.Id);
    }

    [Fact]
    public async Task DiffFile_NoOldFile_DiffsAgainstParent()
    {
        var (repo, first, second) = await DiffRepoAsync();

        var byHead = await Client.DiffFileAsync(new FileRef(Master(repo).Head, "/")).ToListAsync();
        var byId = await Client.DiffFileAsync(new FileRef(CommitRef.ById(repo, second), "/")).ToListAsync();

        Assert.Equal(["+/d/sub/new", "~/d/sub/y", "-/d/x", "+/e/f/g", "-/gone/g"], Describe(byHead));
        Assert.Equal(Describe(byHead), Describe(byId));
        Assert.All(byHead.Where(d => d.Old is not null), d => Assert.Equal(first, d.Old!.File.Commit.Id));
    }

    [Fact]
    public async Task DiffFile_Path_RestrictsBothSides()
    {
        var (repo, _, _) = await DiffRepoAsync();
        var head = Master(repo).Head;

        Assert.Equal(["+/d/sub/new", "~/d/sub/y", "-/d/x"], Describe(await Client.DiffFileAsync(new FileRef(head, "/d")).ToListAsync()));
        Assert.Equal(["+/d/sub/new", "~/d/sub/y"], Describe(await Client.DiffFileAsync(new FileRef(head, "/d/sub/")).ToListAsync()));
        Assert.Equal(["~/d/sub/y"], Describe(await Client.DiffFileAsync(new FileRef(head, "/d/sub/y")).ToListAsync()));
        Assert.Equal(["-/gone/g"], Describe(await Client.DiffFileAsync(new FileRef(head, "/gone")).ToListAsync()));
        Assert.Empty(await Client.DiffFileAsync(new FileRef(head, "/keep")).ToListAsync());
        Assert.Empty(await Client.DiffFileAsync(new FileRef(head, "/never/existed")).ToListAsync());
    }

    [Fact]
    public async Task DiffFile_UnchangedBigSubtree_NotReported()
    {
        var repo = await NewRepoAsync();
        await Client.ModifyFileAsync(Master(repo).Head, async w =>
        {
            // More than one page in /big/ and a nested part, so both the page and the directory shortcuts are exercised.
            for (var i = 0; i < 1200; i++)
            {
                await w.AddFileAsync($"/big/f{i:D4}", new byte[] { (byte)i });
            }
            for (var i = 0; i < 100; i++)
            {
                await w.AddFileAsync($"/big/nested/{i % 10}/g{i:D3}", new byte[] { (byte)i });
            }
            await w.AddFileAsync("/small/s", new byte[] { 1 });
        });

        await PutBytesAsync(Master(repo).Head, "/small/s", [2]);
        var outside = await Client.DiffFileAsync(new FileRef(Master(repo).Head, "/")).ToListAsync();
        await PutBytesAsync(Master(repo).Head, "/big/f0777", [7, 7]);
        var inside = await Client.DiffFileAsync(new FileRef(Master(repo).Head, "/")).ToListAsync();

        Assert.Equal(["~/small/s"], Describe(outside));
        Assert.Equal(["~/big/f0777"], Describe(inside));
    }

    [Fact]
    public async Task DiffFile_FirstCommit_EverythingNew()
    {
        var repo = await NewRepoAsync();
        await Client.ModifyFileAsync(Master(repo).Head, async w =>
        {
            await w.AddFileAsync("/b", new byte[] { 1 });
            await w.AddFileAsync("/a/z", new byte[] { 2 });
            await w.AddFileAsync("/a-1", new byte[] { 3 });
        });
        var info = await Client.InspectCommitAsync(Master(repo).Head);
        Assert.Null(info.ParentCommit);

        var diffs = await Client.DiffFileAsync(new FileRef(Master(repo).Head, "/")).ToListAsync();

        Assert.Equal(["+/a-1", "+/a/z", "+/b"], Describe(diffs));
        Assert.All(diffs, d => Assert.Null(d.Old));
    }

    [Fact]
    public async Task DiffFile_EmptyCommit_EmptyStream()
    {
        var repo = await NewRepoAsync();
        await Client.CreateBranchAsync(Master(repo));

        Assert.Empty(await Client.DiffFileAsync(new FileRef(Master(repo).Head, "/")).ToListAsync());
    }

    [Fact]
    public async Task DiffFile_MissingCommit_CommitNotFound()
    {
        var (repo, first, _) = await DiffRepoAsync();
        var missing = CommitRef.ById(repo, "0123456789ab4def0123456789abcdef");

        var newSide = await Assert.ThrowsAsync<PachException>(() => Client.DiffFileAsync(new FileRef(missing, "/")).ToListAsync());
        var oldSide = await Assert.ThrowsAsync<PachException>(() =>
            Client.DiffFileAsync(new FileRef(CommitRef.ById(repo, first), "/"), new FileRef(missing, "/")).ToListAsync());

        Assert.Equal(PachErrorKind.CommitNotFound, newSide.Kind);
        Assert.Equal(PachErrorKind.CommitNotFound, oldSide.Kind);
    }

    [Fact]
    public async Task DiffFile_MissingRepoOrBranch_NotFoundKinds()
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, "/a", [1]);

        var noRepo = await Assert.ThrowsAsync<PachException>(() =>
            Client.DiffFileAsync(new FileRef(Master(RepoRef.InDefault(TestData.Name("nope"))).Head, "/")).ToListAsync());
        var noBranch = await Assert.ThrowsAsync<PachException>(() =>
            Client.DiffFileAsync(new FileRef(new BranchRef(repo, "nope").Head, "/")).ToListAsync());

        // As for InspectBranch, pachd may name the branch or the repo when the repo is missing.
        Assert.Contains(noRepo.Kind, new[] { PachErrorKind.RepoNotFound, PachErrorKind.BranchNotFound });
        Assert.Equal(PachErrorKind.BranchNotFound, noBranch.Kind);
    }
}
