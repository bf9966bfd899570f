using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;
using Gateway.TestSupport;

namespace Gateway.Integration.Tests.Resilience;

/// <summary>
/// The concurrency bounds as clients see them: with one transfer allowed and one upload held in flight, the next
/// upload or download is answered 503 SlowDown with Retry-After (the AWS SDK reads it as SlowDown), while listings and
/// HEAD requests, counted apart, are served; once the upload finishes, transfers are served again.
/// </summary>
[Trait("Host", "Standalone")]
public sealed class RequestLimitOverHttpTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "gw-limit-" + Guid.NewGuid().ToString("N"));
    private StandaloneGateway _gateway = null!;

    public Task InitializeAsync()
    {
        _gateway = StandaloneGateway.Start(
            ("Gateway:DataDirectory", _data),
            ("Gateway:MaxConcurrentTransfers", "1"),
            ("Gateway:MaxConcurrentRequests", "4"),
            ("Gateway:QueueSeconds", "0.2"),
            ("Gateway:RetryAfterSeconds", "3"));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Transfers_BoundReached_SlowDownForTransfersOnly()
    {
        var http = _gateway.Http;
        var bucket = "master." + GatewayFixture.NewName("limit");
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync($"/{bucket}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync($"/{bucket}/there", new StringContent("x"))).StatusCode);

        // Expect: 100-continue, so the body is asked for only once the gateway reads it: it holds its place by then.
        using var patient = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) }) { BaseAddress = http.BaseAddress };
        var body = new HeldStream(new byte[64 * 1024]);
        using var upload = new HttpRequestMessage(HttpMethod.Put, $"/{bucket}/held") { Content = new StreamContent(body) };
        upload.Content.Headers.ContentLength = body.Length;
        upload.Headers.ExpectContinue = true;
        var held = patient.SendAsync(upload);
        await body.Reading.WaitAsync(TimeSpan.FromSeconds(30));

        using var put = await http.PutAsync($"/{bucket}/second", new StringContent("y"));
        using var get = await http.GetAsync($"/{bucket}/there");
        using var list = await http.GetAsync($"/{bucket}?list-type=2");
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/{bucket}/there"));
        using var sdk = GatewayFixture.AwsClient(http.BaseAddress!, "key", "key", whenRequired: true);
        var sdkError = await Assert.ThrowsAsync<AmazonS3Exception>(() => sdk.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "sdk", ContentBody = "z" }));
        body.Release();
        using var first = await held.WaitAsync(TimeSpan.FromSeconds(30));
        using var after = await http.PutAsync($"/{bucket}/third", new StringContent("w"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, put.StatusCode);
        Assert.Equal("SlowDown", await StandaloneGateway.ErrorCodeAsync(put));
        Assert.Equal(TimeSpan.FromSeconds(3), put.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, get.StatusCode);
        Assert.Equal("SlowDown", await StandaloneGateway.ErrorCodeAsync(get));
        Assert.Equal(("SlowDown", HttpStatusCode.ServiceUnavailable), (sdkError.ErrorCode, sdkError.StatusCode));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
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
