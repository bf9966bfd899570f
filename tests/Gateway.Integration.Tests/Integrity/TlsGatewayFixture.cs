extern alias functions;

using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Gateway.Pachyderm;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Integrity;

/// <summary>
/// The real standalone host serving http and https (certificate from PEM files through the host's own
/// Gateway:TlsCertificatePath / Gateway:TlsKeyPath settings) on loopback ephemeral ports, with an in-process
/// LocalPachd and auth off. A <see cref="WireRecorder"/> notes what each client sent.
/// </summary>
public sealed class TlsGatewayFixture : IAsyncLifetime
{
    private WebApplicationFactory<functions::Program>? _factory;
    private PachClient? _pach;

    /// <summary>The test certificate (PEM files the host loaded).</summary>
    public TestCertificate Certificate { get; } = TestCertificate.Create();

    /// <summary>http://127.0.0.1:port.</summary>
    public Uri HttpUri { get; private set; } = null!;

    /// <summary>https://127.0.0.1:port.</summary>
    public Uri HttpsUri { get; private set; } = null!;

    /// <summary>Framing headers of every request.</summary>
    public WireRecorder Wire { get; } = new();

    /// <summary>A client straight to the embedded LocalPachd.</summary>
    public IPachClient Pach => _pach!;

    private string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "gw-tls-it-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<functions::Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Gateway:DataDirectory", DataDirectory);
            b.UseSetting("Gateway:TlsCertificatePath", Certificate.CertificatePath);
            b.UseSetting("Gateway:TlsKeyPath", Certificate.KeyPath);
            b.UseSetting("Gateway:AuthModeCacheSeconds", "0");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(Wire));
        });

        // UseHttps() without a certificate takes Kestrel's https defaults, which the host sets from the PEM files.
        _factory.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1);
            k.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                l.UseHttps();
            });
        });
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        HttpUri = new UriBuilder(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal))) { Host = "127.0.0.1" }.Uri;
        HttpsUri = new UriBuilder(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal))) { Host = "127.0.0.1" }.Uri;
        var connection = _factory.Services.GetRequiredService<functions::Gateway.Functions.Hosting.PachdConnection>();
        _pach = PachClient.Create(connection.Address!.ToString());
        return Task.CompletedTask;
    }

    /// <summary>The endpoint for a scheme.</summary>
    public Uri Endpoint(bool tls) => tls ? HttpsUri : HttpUri;

    /// <summary>
    /// AWSSDK.S3 with its default integrity settings (or <c>WHEN_REQUIRED</c>), over http or https. Over https it
    /// trusts only the test certificate.
    /// </summary>
    /// <param name="tls">https (true) or http.</param>
    /// <param name="whenRequired">RequestChecksumCalculation/ResponseChecksumValidation WHEN_REQUIRED instead of the defaults.</param>
    /// <param name="accessKey">Access key (and secret).</param>
    /// <param name="wrap">Wraps the SDK's HTTP handler, e.g. to alter what it puts on the wire.</param>
    public AmazonS3Client Aws(bool tls, bool whenRequired = false, string accessKey = "tls-key", Func<HttpMessageHandler, HttpMessageHandler>? wrap = null) => new(
        new BasicAWSCredentials(accessKey, accessKey),
        new AmazonS3Config
        {
            ServiceURL = Endpoint(tls).ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            UseHttp = !tls,
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromMinutes(5),
            HttpClientFactory = new PinnedHttpClientFactory(Certificate, wrap),
            RequestChecksumCalculation = whenRequired ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED,
            ResponseChecksumValidation = whenRequired ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED,
        });

    /// <summary>A plain HttpClient for hand-made requests (trusts the test certificate only).</summary>
    public HttpClient Http(bool tls) => new(Certificate.Handler()) { BaseAddress = Endpoint(tls), Timeout = TimeSpan.FromMinutes(5) };

    public async Task DisposeAsync()
    {
        _pach?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Certificate.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a background task; the temp directory is cleaned by the OS.
        }
    }

    /// <summary>The SDK's HttpClient, trusting only the test certificate.</summary>
    private sealed class PinnedHttpClientFactory(TestCertificate certificate, Func<HttpMessageHandler, HttpMessageHandler>? wrap) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(wrap is null ? certificate.Handler() : wrap(certificate.Handler()));
    }
}

[CollectionDefinition(Name)]
public sealed class TlsCollection : ICollectionFixture<TlsGatewayFixture>
{
    public const string Name = "gateway, http + https";
}
