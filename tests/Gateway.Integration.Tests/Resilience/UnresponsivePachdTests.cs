using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Integration.Tests.Resilience;

/// <summary>
/// The standalone gateway in front of a pachd address that accepts connections and never answers (a hung pachd): every
/// request is answered 503 ServiceUnavailable with Retry-After once the pachd timeouts run out (1 s here), never held
/// forever, never a 500, never with internal text; concurrent requests fail together, not one after another.
/// </summary>
[Trait("Host", "Standalone")]
public sealed class UnresponsivePachdTests : IAsyncLifetime
{
    private static readonly TimeSpan _bound = TimeSpan.FromSeconds(15);
    private readonly Socket _pachd = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private StandaloneGateway _gateway = null!;

    public Task InitializeAsync()
    {
        _pachd.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _pachd.Listen(64);
        _ = AcceptAndHoldAsync();
        _gateway = StandaloneGateway.Start(
            ("Gateway:PachdAddress", $"grpc://127.0.0.1:{((IPEndPoint)_pachd.LocalEndPoint!).Port}"),
            ("Gateway:PachdTimeoutSeconds", "1"),
            ("Gateway:PachdIdleTimeoutSeconds", "1"),
            ("Gateway:PachdConnectTimeoutSeconds", "1"),
            ("Gateway:RetryAfterSeconds", "2"));
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("HEAD", "/master.images")]
    [InlineData("GET", "/master.images/cats/1.png")]
    [InlineData("PUT", "/master.images/cats/1.png")]
    public async Task Request_PachdNeverAnswers_ServiceUnavailableWithRetryAfter(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT")
        {
            request.Content = new ByteArrayContent(new byte[4096]);
        }

        var clock = Stopwatch.StartNew();
        using var response = await _gateway.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.True(clock.Elapsed < _bound, $"answered after {clock.Elapsed.TotalSeconds:F1} s");
        if (method != "HEAD")
        {
            Assert.Equal("ServiceUnavailable", await StandaloneGateway.ErrorCodeAsync(response));
            Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Deadline", body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task ConcurrentRequests_PachdNeverAnswers_AllAnsweredTogether()
    {
        var clock = Stopwatch.StartNew();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await _gateway.Http.GetAsync("/");
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
        // One shared wait for pachd's auth mode, not eight in a row behind a lock.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"8 requests took {clock.Elapsed.TotalSeconds:F1} s");
    }

    private async Task AcceptAndHoldAsync()
    {
        try
        {
            while (true)
            {
                var connection = await _pachd.AcceptAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(connection);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _stop.CancelAsync();
        lock (_held)
        {
            _held.ForEach(s => s.Dispose());
        }

        _pachd.Dispose();
        _stop.Dispose();
    }
}
