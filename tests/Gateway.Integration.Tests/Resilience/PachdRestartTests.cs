extern alias functions;

using System.Net;
using System.Text;
using LocalPachd;
using Microsoft.Extensions.DependencyInjection;
using PachdConnection = functions::Gateway.Functions.Hosting.PachdConnection;

namespace Gateway.Integration.Tests.Resilience;

/// <summary>
/// The standalone gateway in front of a LocalPachd that stops and comes back on the same port (a pachd restart):
/// while it is down, reads, writes and listings are answered 503 ServiceUnavailable with Retry-After (not 500, and
/// not held); once it is back, the same gateway serves again, with no restart.
/// </summary>
[Trait("Host", "Standalone")]
public sealed class PachdRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan _recoverWithin = TimeSpan.FromSeconds(20);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "gw-restart-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = StandaloneGateway.FreePort();
    private LocalPachdServer? _pachd;
    private StandaloneGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _pachd = await StartPachdAsync();
        _gateway = StandaloneGateway.Start(("Gateway:PachdAddress", $"grpc://127.0.0.1:{_port}"), ("Gateway:AuthModeCacheSeconds", "1"));
    }

    [Fact]
    public async Task Requests_PachdStopsAndReturns_ServiceUnavailableThenServedWithoutRestart()
    {
        var http = _gateway.Http;
        var bucket = "/master.restart";
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync(bucket, null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync($"{bucket}/k", new StringContent("before"))).StatusCode);
        var connection = _gateway.Services.GetRequiredService<PachdConnection>();

        await _pachd!.DisposeAsync();
        _pachd = null;
        foreach (var (method, path, body) in new (string Method, string Path, string? Body)[] { ("GET", $"{bucket}/k", null), ("PUT", $"{bucket}/k", "during"), ("GET", "/", null), ("GET", $"{bucket}?list-type=2", null) })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : new StringContent(body) };
            using var response = await http.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{method} {path} while pachd is down: {(int)response.StatusCode}");
            Assert.Equal("ServiceUnavailable", await StandaloneGateway.ErrorCodeAsync(response));
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
        }

        _pachd = await StartPachdAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await http.GetAsync($"{bucket}/k");
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                Assert.Equal("before", await response.Content.ReadAsStringAsync());
                break;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            await Task.Delay(100);
        }
        while (clock.Elapsed < _recoverWithin);

        Assert.Equal(HttpStatusCode.OK, status);
        using (var put = await http.PutAsync($"{bucket}/k", new StringContent("after", Encoding.UTF8)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal("after", await http.GetStringAsync($"{bucket}/k"));
        Assert.Same(connection, _gateway.Services.GetRequiredService<PachdConnection>());
    }

    private Task<LocalPachdServer> StartPachdAsync() =>
        LocalPachdServer.StartAsync(new LocalPachdOptions { DataDirectory = _data, Port = _port });

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        if (_pachd is not null)
        {
            await _pachd.DisposeAsync();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
        }
    }
}
