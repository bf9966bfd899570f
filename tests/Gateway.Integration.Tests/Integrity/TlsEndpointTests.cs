extern alias functions;

using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using GatewayHost = functions::Gateway.Functions.Hosting.GatewayHost;
using TlsEndpoint = functions::Gateway.Functions.Hosting.TlsEndpoint;

namespace Gateway.Integration.Tests.Integrity;

/// <summary>The host's TLS settings: default addresses, PEM loading, and https through <c>urls</c> on the real builder.</summary>
public sealed class TlsEndpointTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void DefaultUrls_NoCertificate_HttpOnly() =>
        Assert.Equal("http://0.0.0.0:30600", TlsEndpoint.DefaultUrls(Config()));

    [Fact]
    public void DefaultUrls_Certificate_HttpsOnTlsPortBesideHttp()
    {
        Assert.Equal("http://0.0.0.0:30600;https://0.0.0.0:30601", TlsEndpoint.DefaultUrls(Config(("Gateway:TlsCertificatePath", "/c.pem"))));
        Assert.Equal("http://0.0.0.0:8080;https://0.0.0.0:8443", TlsEndpoint.DefaultUrls(Config(
            ("Gateway:TlsCertificatePath", "/c.pem"), ("Gateway:Port", "8080"), ("Gateway:TlsPort", "8443"))));
    }

    [Fact]
    public void DefaultUrls_TlsPortEqualsPort_Refused() =>
        Assert.Contains("must differ", Assert.Throws<InvalidOperationException>(() => TlsEndpoint.DefaultUrls(Config(
            ("Gateway:TlsCertificatePath", "/c.pem"), ("Gateway:Port", "9000"), ("Gateway:TlsPort", "9000")))).Message, StringComparison.Ordinal);

    [Fact]
    public void LoadPem_MissingFiles_NameTheSetting()
    {
        using var cert = TestCertificate.Create();
        Assert.Contains("TlsCertificatePath", Assert.Throws<InvalidOperationException>(() => TlsEndpoint.LoadPem("/nonexistent/cert.pem", null)).Message, StringComparison.Ordinal);
        Assert.Contains("TlsKeyPath", Assert.Throws<InvalidOperationException>(() => TlsEndpoint.LoadPem(cert.CertificatePath, "/nonexistent/key.pem")).Message, StringComparison.Ordinal);
        Assert.Contains("TlsKeyPath", Assert.Throws<InvalidOperationException>(() => TlsEndpoint.LoadPem(cert.CertificatePath, null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadPem_CertificateAndKeyInOneFile_Loads()
    {
        using var cert = TestCertificate.Create();
        var combined = Path.Combine(cert.Directory, "combined.pem");
        File.WriteAllText(combined, File.ReadAllText(cert.CertificatePath) + "\n" + File.ReadAllText(cert.KeyPath));
        using var loaded = TlsEndpoint.LoadPem(combined, null);
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(cert.Certificate.Thumbprint, loaded.Thumbprint);
    }

    [Fact]
    public async Task BuildStandalone_HttpsAddressInUrls_ServesS3WithConfiguredCertificate()
    {
        using var cert = TestCertificate.Create();
        var data = Path.Combine(Path.GetTempPath(), "gw-tls-host-" + Guid.NewGuid().ToString("N"));
        var app = GatewayHost.BuildStandalone(
        [
            "--urls=http://127.0.0.1:0;https://127.0.0.1:0",
            $"--Gateway:DataDirectory={data}",
            $"--Gateway:TlsCertificatePath={cert.CertificatePath}",
            $"--Gateway:TlsKeyPath={cert.KeyPath}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await using (app)
        {
            await app.StartAsync();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            var https = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)));
            var http = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal)));

            X509Presented? presented = null;
            using var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, c, _, _) =>
                {
                    presented = new X509Presented(c?.Thumbprint);
                    return cert.Validate(c);
                },
            };
            using var client = new HttpClient(handler);
            using var overTls = await client.GetAsync(new Uri(https, "/"));
            Assert.Equal(HttpStatusCode.OK, overTls.StatusCode);
            Assert.Contains("ListAllMyBucketsResult", await overTls.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(cert.Certificate.Thumbprint, presented?.Thumbprint);

            using var plain = await client.GetAsync(new Uri(http, "/"));
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
            await app.StopAsync();
        }

        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    private sealed record X509Presented(string? Thumbprint);
}
