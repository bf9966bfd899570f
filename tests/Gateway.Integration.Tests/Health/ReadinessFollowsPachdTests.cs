extern alias functions;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gateway.Integration.Tests.Support;
using LocalPachd;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Health;

/// <summary>
/// The standalone gateway in front of a LocalPachd that stops and starts again on the same port, as a pachd container
/// restarting beside the gateway in the pod: readiness follows within seconds and S3 works again, with no restart of
/// the gateway. Liveness never changes.
/// </summary>
[Trait("Host", "Standalone")]
public sealed class ReadinessFollowsPachdTests : IAsyncLifetime
{
    private static readonly TimeSpan _followWithin = TimeSpan.FromSeconds(15);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "gw-ready-" + Guid.NewGuid().ToString("N"));
    private readonly int _pachdPort = FreePort();
    private LocalPachdServer? _pachd;
    private WebApplicationFactory<functions::Program>? _factory;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _pachd = await StartPachdAsync();
        _factory = new WebApplicationFactory<functions::Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Gateway:PachdAddress", $"grpc://127.0.0.1:{_pachdPort}");
            b.UseSetting("Gateway:ReadinessCacheSeconds", "0.5");
            b.UseSetting("Gateway:ReadinessTimeoutSeconds", "1");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        _factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new UriBuilder(address) { Host = "127.0.0.1" }.Uri, Timeout = TimeSpan.FromSeconds(30) };
    }

    [Fact]
    public async Task Ready_PachdStopsAndReturns_UnreadyThenReadyWithoutRestart()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/~/ready"));
        var gatewayBefore = _factory!.Services.GetRequiredService<functions::Gateway.Functions.Hosting.PachdConnection>();

        await _pachd!.DisposeAsync();
        _pachd = null;
        var unreadyAfter = await TimeUntilAsync("/~/ready", HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/~/live"));
        using (var listing = await _http.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, listing.StatusCode);
        }

        _pachd = await StartPachdAsync();
        var readyAfter = await TimeUntilAsync("/~/ready", HttpStatusCode.OK);
        using (var listing = await _http.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        }

        Assert.Same(gatewayBefore, _factory.Services.GetRequiredService<functions::Gateway.Functions.Hosting.PachdConnection>());
        Assert.True(unreadyAfter < TimeSpan.FromSeconds(5), $"unready only {unreadyAfter.TotalSeconds:F1} s after pachd stopped");
        Assert.True(readyAfter < TimeSpan.FromSeconds(5), $"ready only {readyAfter.TotalSeconds:F1} s after pachd returned");
    }

    private async Task<HttpStatusCode> StatusAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="status"/>; the time that took.</summary>
    private async Task<TimeSpan> TimeUntilAsync(string path, HttpStatusCode status)
    {
        var clock = Stopwatch.StartNew();
        var last = HttpStatusCode.OK;
        while (clock.Elapsed < _followWithin)
        {
            last = await StatusAsync(path);
            if (last == status)
            {
                return clock.Elapsed;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{path} still answered {(int)last} {_followWithin.TotalSeconds} s later, not {(int)status}");
        return clock.Elapsed;
    }

    private Task<LocalPachdServer> StartPachdAsync() =>
        LocalPachdServer.StartAsync(new LocalPachdOptions { DataDirectory = _data, Port = _pachdPort });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

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
