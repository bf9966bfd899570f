using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Gateway.Integration.Tests.Support;

namespace Gateway.Integration.Tests.Health;

/// <summary>
/// SIGTERM to the standalone gateway as a child process: it stops accepting connections at once, lets requests in
/// flight finish within GATEWAY_SHUTDOWN_SECONDS, cuts off what is still running then, and exits.
/// </summary>
[Trait("Host", "Standalone")]
public sealed class GracefulShutdownTests
{
    private static readonly TimeSpan _stopAccepting = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task SigTerm_UploadInFlight_FinishesThenProcessExits()
    {
        await using var gateway = await StandaloneProcess.StartAsync(("GATEWAY_SHUTDOWN_SECONDS", "30"));
        using var http = new HttpClient { BaseAddress = gateway.BaseUri, Timeout = TimeSpan.FromMinutes(2) };
        var bucket = "master." + GatewayFixture.NewName("drain");
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync(bucket, null)).StatusCode);

        // 12 chunks of 64 KiB, one every 500 ms: the upload is in flight for about 5.5 s.
        var body = new TrickleStream(chunks: 12, chunkSize: 64 * 1024, interval: TimeSpan.FromMilliseconds(500));
        using var content = new StreamContent(body);
        content.Headers.ContentLength = body.Length;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var upload = http.PutAsync($"{bucket}/slow.bin", content);
        await body.Started.WaitAsync(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        await gateway.TerminateAsync();

        Assert.True(await Eventually(gateway.RefusesConnectionsAsync, _stopAccepting), "the gateway still accepts connections after SIGTERM");
        Assert.False(upload.IsCompleted, "the upload ended before the gateway stopped accepting: the test proves nothing");
        using var response = await upload;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("ETag"), "PutObject answered without an ETag");
        Assert.True(await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)), $"the gateway did not exit:{Environment.NewLine}{gateway.Output}");
        Assert.Equal(0, gateway.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"exit took {clock.Elapsed.TotalSeconds:F1} s: it waited for the bound, not for the upload");
    }

    [Fact]
    public async Task SigTerm_UploadLongerThanTheBound_IsCutOffAtTheBound()
    {
        const double bound = 2;
        await using var gateway = await StandaloneProcess.StartAsync(("GATEWAY_SHUTDOWN_SECONDS", "2"));
        using var http = new HttpClient { BaseAddress = gateway.BaseUri, Timeout = TimeSpan.FromMinutes(2) };
        var bucket = "master." + GatewayFixture.NewName("cut");
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync(bucket, null)).StatusCode);

        // Would take a minute.
        var body = new TrickleStream(chunks: 120, chunkSize: 16 * 1024, interval: TimeSpan.FromMilliseconds(500));
        using var content = new StreamContent(body);
        content.Headers.ContentLength = body.Length;
        var upload = http.PutAsync($"{bucket}/endless.bin", content);
        await body.Started.WaitAsync(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        await gateway.TerminateAsync();

        Assert.True(await gateway.WaitForExitAsync(TimeSpan.FromSeconds(20)), $"the gateway did not exit within 20 s of SIGTERM:{Environment.NewLine}{gateway.Output}");
        var exitedAfter = clock.Elapsed;
        Assert.True(exitedAfter >= TimeSpan.FromSeconds(bound - 0.5), $"exited {exitedAfter.TotalSeconds:F1} s after SIGTERM: it did not wait for the upload");
        Assert.True(exitedAfter < TimeSpan.FromSeconds(bound + 10), $"exited {exitedAfter.TotalSeconds:F1} s after SIGTERM, long past the {bound} s bound");
        var outcome = await Record.ExceptionAsync(async () =>
        {
            using var response = await upload.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        });
        Assert.True(outcome is null or HttpRequestException or IOException, $"unexpected failure of the cut upload: {outcome}");
    }

    private static async Task<bool> Eventually(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return await condition();
    }
}
