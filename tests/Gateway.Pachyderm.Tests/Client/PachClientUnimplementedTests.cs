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
}
