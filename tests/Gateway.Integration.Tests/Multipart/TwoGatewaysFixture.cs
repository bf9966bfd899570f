extern alias functions;

using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Gateway.Integration.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Multipart;

/// <summary>
/// Two gateway hosts in front of one pachd: the base fixture's host (with its embedded LocalPachd) and a second host
/// configured with that LocalPachd's address, as two stateless instances behind a load balancer would be.
/// </summary>
public sealed class TwoGatewaysFixture : GatewayFixture, IAsyncLifetime
{
    private WebApplicationFactory<functions::Program>? _second;

    /// <summary>The second host's base URI.</summary>
    public Uri SecondBaseUri { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var pachd = Services.GetRequiredService<functions::Gateway.Functions.Hosting.PachdConnection>().Address!;
        _second = new WebApplicationFactory<functions::Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Gateway:PachdAddress", pachd.ToString());
            b.UseSetting("Gateway:AuthModeCacheSeconds", "0");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        _second.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _second.StartServer();
        var address = _second.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        SecondBaseUri = new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
    }

    // Re-implemented so that the second host stops before the first one (and its LocalPachd).
    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        await DisposeAsync();
    }

    /// <summary>An AWS SDK client of the second host.</summary>
    public AmazonS3Client SecondAws() => new(
        new BasicAWSCredentials("second-key", "second-key"),
        new AmazonS3Config
        {
            ServiceURL = SecondBaseUri.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            UseHttp = true,
            MaxErrorRetry = 0,
        });
}
