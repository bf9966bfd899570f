using System.Globalization;
using System.Net;

namespace Gateway.Integration.Tests.Resilience;

/// <summary>
/// The failed-authentication limit behind a reverse proxy: with the proxy trusted (GATEWAY_TRUSTED_PROXIES) each client
/// it forwards has a bucket of its own; without it, X-Forwarded-For is anyone's to write and is ignored, so the
/// clients share the proxy's bucket.
/// </summary>
[Trait("Host", "Standalone")]
public sealed class ForwardedClientsTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "gw-fwd-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TrustedProxy_EachForwardedClientIsLimitedApart()
    {
        await using var gateway = Start(trusted: "127.0.0.1");

        var first = await ForgedAsync(gateway, "203.0.113.7", times: 4);
        var other = await ForgedAsync(gateway, "203.0.113.8", times: 1);

        Assert.Equal(["SignatureDoesNotMatch", "SignatureDoesNotMatch", "SignatureDoesNotMatch", "SlowDown"], first);
        Assert.Equal(["SignatureDoesNotMatch"], other);
    }

    [Fact]
    public async Task UntrustedPeer_ForwardedForIsIgnored()
    {
        await using var gateway = Start(trusted: "192.0.2.1, 10.9.0.0/16");

        var first = await ForgedAsync(gateway, "203.0.113.7", times: 4);
        var other = await ForgedAsync(gateway, "203.0.113.8", times: 1);

        Assert.Equal("SlowDown", first[^1]);
        Assert.Equal(["SlowDown"], other);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Never created, or left for the OS's temp cleanup.
        }

        return Task.CompletedTask;
    }

    private StandaloneGateway Start(string trusted) => StandaloneGateway.Start(
        ("Gateway:DataDirectory", _data),
        ("Gateway:TrustedProxies", trusted),
        ("Gateway:AuthFailures:Burst", "3"),
        ("Gateway:AuthFailures:PerSecond", "0.001"));

    /// <summary>Sends <paramref name="times"/> SigV4 requests with a wrong signature "from" <paramref name="client"/>; their error codes.</summary>
    private static async Task<List<string?>> ForgedAsync(StandaloneGateway gateway, string client, int times)
    {
        var codes = new List<string?>();
        for (var i = 0; i < times; i++)
        {
            var now = DateTime.UtcNow;
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
            request.Headers.TryAddWithoutValidation("x-amz-date", now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
            request.Headers.TryAddWithoutValidation("Authorization",
                $"AWS4-HMAC-SHA256 Credential=somekey/{now:yyyyMMdd}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={new string('0', 64)}");
            using var response = await gateway.Http.SendAsync(request);
            codes.Add(await StandaloneGateway.ErrorCodeAsync(response));
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.ServiceUnavailable, $"{response.StatusCode}");
        }

        return codes;
    }
}
