using Gateway.Pachyderm.Protos.Pfs;
using Gateway.Pachyderm.Tests.Support;
using Xunit;

namespace Gateway.Pachyderm.Tests.Contract;

public abstract partial class PachClientContractTests
{
    /// <summary>A file at /f, a directory /d holding /d/e/file, and nothing else.</summary>
    private async Task<RepoRef> LookupRepoAsync()
    {
        var repo = await NewRepoAsync();
        await Client.ModifyFileAsync(Master(repo).Head, async w =>
        {
            await w.AddFileAsync("/f", new byte[] { 1 });
            await w.AddFileAsync("/d/e/file", new byte[] { 2 });
        });
        return repo;
    }

    [Theory]
    [InlineData("/f", FileType.File, "/f")]
    [InlineData("/d", FileType.Dir, "/d/")]
    [InlineData("/d/e/file", FileType.File, "/d/e/file")]
    public async Task LookUpPath_Existing_InspectedWithoutAncestor(string path, FileType type, string described)
    {
        var repo = await LookupRepoAsync();

        var found = await Client.LookUpPathAsync(new FileRef(Master(repo).Head, path));

        Assert.Equal(type, found.File!.FileType);
        Assert.Equal(described, found.File.File.Path);
        Assert.Null(found.NearestAncestor);
    }

    [Theory]
    [InlineData("/d/e/x/y", FileType.Dir, "/d/e/")]
    [InlineData("/d/x", FileType.Dir, "/d/")]
    [InlineData("/f/x/y", FileType.File, "/f")]
    [InlineData("/d/e/file/z", FileType.File, "/d/e/file")]
    [InlineData("/nothing/here", FileType.Dir, "/")]
    [InlineData("/top", FileType.Dir, "/")]
    public async Task LookUpPath_Missing_NamesNearestExistingAncestor(string path, FileType type, string ancestor)
    {
        var repo = await LookupRepoAsync();

        var found = await Client.LookUpPathAsync(new FileRef(Master(repo).Head, path));

        Assert.Null(found.File);
        Assert.Equal(type, found.NearestAncestor!.FileType);
        Assert.Equal(ancestor, found.NearestAncestor.File.Path);
        Assert.Equal(await HeadIdAsync(repo), found.NearestAncestor.File.Commit.Id);
    }

    [Fact]
    public async Task LookUpPath_EmptyCommit_RootIsTheAncestor()
    {
        var repo = await NewRepoAsync();
        await Client.ModifyFileAsync(Master(repo).Head, _ => Task.CompletedTask);

        var found = await Client.LookUpPathAsync(new FileRef(Master(repo).Head, "/a/b"));

        Assert.Null(found.File);
        Assert.Equal("/", found.NearestAncestor!.File.Path);
    }

    [Fact]
    public async Task LookUpPath_MissingRepo_RepoNotFound()
    {
        var error = await Assert.ThrowsAsync<PachException>(() =>
            Client.LookUpPathAsync(new FileRef(Master(RepoRef.InDefault(TestData.Name("missing"))).Head, "/a")));

        Assert.Equal(PachErrorKind.RepoNotFound, error.Kind);
    }
}
