using Gateway.Pachyderm.Tests.Support;
using Grpc.Core;
using Xunit;

namespace Gateway.Pachyderm.Tests.Client;

/// <summary>An RPC the pachd does not serve (one older than the RPC) fails as <see cref="PachErrorKind.Unimplemented"/>.</summary>
public sealed class PachClientUnimplementedTests
{
    [Fact]
    public async Task SquashCommit_PachdWithoutTheRpc_Unimplemented()
    {
        await using var pachd = await StallingPachd.StartAsync();
        using var client = PachClient.Create(pachd.Address.ToString());

        var error = await Assert.ThrowsAsync<PachException>(() =>
            client.SquashCommitAsync(CommitRef.ById(RepoRef.InDefault("images"), "0123456789ab4def0123456789abcdef")));

        Assert.Equal(PachErrorKind.Unimplemented, error.Kind);
        Assert.Equal(StatusCode.Unimplemented, error.Status);
        Assert.False(error.IsNotFound);
    }

    [Fact]
    public async Task OpenFile_PachdThatDoesNotDescribeFiles_NullThenNoMoreCalls()
    {
        await using var pachd = await StallingPachd.StartAsync();
        using var client = PachClient.Create(pachd.Address.ToString());
        var file = new FileRef(new BranchRef(RepoRef.InDefault("images"), "master").Head, "/a");

        var first = await client.OpenFileAsync(file);
        var second = await client.WithToken("t").OpenFileAsync(file);

        Assert.Null(first);
        Assert.Null(second);
        Assert.Equal(1, pachd.GetFileCalls);
        await using var plain = await client.GetFileAsync(file);
        Assert.Equal(2, pachd.GetFileCalls);
    }
}
