using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Gateway.Pachyderm.Tests.Client;

public sealed class PachClientConnectionTests
{
    [Fact]
    public async Task GetVersion_NothingListening_Unavailable()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        using var client = PachClient.Create($"127.0.0.1:{port}");

        var error = await Assert.ThrowsAsync<PachException>(() => client.GetVersionAsync());

        Assert.Equal(PachErrorKind.Unavailable, error.Kind);
    }

    [Fact]
    public async Task ListRepos_NothingListening_UnavailableFromEnumeration()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        using var client = PachClient.Create($"grpc://127.0.0.1:{port}");

        var error = await Assert.ThrowsAsync<PachException>(async () =>
        {
            await foreach (var _ in client.ListReposAsync())
            {
            }
        });

        Assert.Equal(PachErrorKind.Unavailable, error.Kind);
    }

    [Fact]
    public async Task GetVersion_CancelledToken_OperationCanceled()
    {
        using var client = PachClient.Create("127.0.0.1:1");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetVersionAsync(cts.Token));
    }
}
