using Xunit;

namespace Gateway.Pachyderm.Tests.Contract;

public abstract partial class PachClientContractTests
{
    /// <summary>
    /// A client learns from its first answered ModifyFile that LocalPachd names the commits writes create, and its
    /// token views know it too; a fresh client does not claim it before.
    /// </summary>
    [Fact]
    public async Task NamesCreatedCommits_LearnedFromTheFirstModifyFile_SharedWithTokenViews()
    {
        using var fresh = PachClient.Create(Fixture.Host.Address.ToString());
        var view = fresh.WithToken(null);
        Assert.False(fresh.NamesCreatedCommits);
        var repo = await NewRepoAsync();

        var created = await view.ModifyFileAsync(Master(repo).Head, w => w.AddFileAsync("/f", new byte[] { 1 }));

        Assert.NotNull(created);
        Assert.True(fresh.NamesCreatedCommits);
        Assert.True(view.NamesCreatedCommits);
        Assert.True(fresh.WithToken("another").NamesCreatedCommits);
    }
}
