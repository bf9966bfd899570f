extern alias functions;

using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Resilience;

/// <summary>The standalone host on a loopback port with the settings a test gives (configuration keys and values).</summary>
internal sealed class StandaloneGateway : IAsyncDisposable
{
    private readonly WebApplicationFactory<functions::Program> _factory;

    private StandaloneGateway(WebApplicationFactory<functions::Program> factory, Uri baseUri)
    {
        _factory = factory;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>An unsigned client (auth stays off in these tests), 60 s timeout so a hang fails rather than blocks.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _factory.Services;

    public static StandaloneGateway Start(params (string Key, string Value)[] settings)
    {
        var factory = new WebApplicationFactory<functions::Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
        factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StandaloneGateway(factory, new UriBuilder(address) { Host = "127.0.0.1" }.Uri);
    }

    /// <summary>A free loopback port (for a pachd that must come back on the same one).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The S3 error code of an error response (null when the body is no S3 error document).</summary>
    public static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return body.Length == 0 ? null : XDocument.Parse(body).Root?.Element("Code")?.Value;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }
}
