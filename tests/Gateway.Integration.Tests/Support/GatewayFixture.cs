extern alias functions;

using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Gateway.Pachyderm;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Minio;

namespace Gateway.Integration.Tests.Support;

/// <summary>
/// The real standalone host (Program) on a loopback ephemeral port with an in-process LocalPachd in a temp
/// directory, or, when <c>GATEWAY_IT_HOST=functions</c>, the same executable in Functions mode behind the Functions
/// host emulator (a child process; its embedded LocalPachd on a known loopback port). Subclasses decide whether pachd
/// auth is activated. Tests of the standalone host itself carry <c>[Trait("Host", "Standalone")]</c>; tests/run-all.sh
/// runs the others a second time behind the emulator.
/// </summary>
public abstract class GatewayFixture : IAsyncLifetime
{
    /// <summary>The environment variable that puts the fixtures' gateway behind the Functions host emulator.</summary>
    public const string HostVariable = "GATEWAY_IT_HOST";

    private WebApplicationFactory<functions::Program>? _factory;
    private Functions.EmulatorProcess? _emulator;

    /// <summary>True when the gateway runs in Functions mode behind the emulator (<see cref="HostVariable"/>).</summary>
    public static bool BehindFunctionsHost =>
        string.Equals(Environment.GetEnvironmentVariable(HostVariable), "functions", StringComparison.OrdinalIgnoreCase);

    /// <summary>The standalone host's services (not available behind the Functions host emulator).</summary>
    public IServiceProvider Services => _factory?.Services
        ?? throw new InvalidOperationException("The gateway runs behind the Functions host emulator: its services are in another process.");

    /// <summary>The gateway's base URI (http://127.0.0.1:port).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>A client straight to the embedded LocalPachd (root token when auth is on).</summary>
    public IPachClient Pach { get; private set; } = null!;

    /// <summary>The LocalPachd data directory (deleted on dispose).</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "gw-it-" + Guid.NewGuid().ToString("N"));

    private PachClient? _pachRoot;

    public virtual async Task InitializeAsync()
    {
        if (BehindFunctionsHost)
        {
            _emulator = await Functions.EmulatorProcess.StartAsync(
            [
                new("GATEWAY_DATA_DIR", DataDirectory),
                new("GATEWAY_FUNCTIONS_LOCALPACHD", "true"),
                new("GATEWAY_AUTH_MODE_CACHE_SECONDS", "0"),
                new("GATEWAY_AUTH_CACHE_SECONDS", "30"),
                new("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT", "1073741824"),
            ]);
            BaseUri = _emulator.BaseUri;

            // The worker's embedded LocalPachd took any free port and logged it (through the host).
            var pachd = await _emulator.WaitForOutputAsync(new System.Text.RegularExpressions.Regex(@"embedded LocalPachd serves gRPC at (\S+) with"), TimeSpan.FromSeconds(10));
            _pachRoot = PachClient.Create(pachd);
            Pach = _pachRoot;
            await ConfigurePachdAsync();
            return;
        }

        _factory = new WebApplicationFactory<functions::Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Gateway:DataDirectory", DataDirectory);
            b.UseSetting("Gateway:AuthModeCacheSeconds", "0");
            b.UseSetting("Gateway:AuthCacheSeconds", "30");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        _factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
        var connection = _factory.Services.GetRequiredService<functions::Gateway.Functions.Hosting.PachdConnection>();
        _pachRoot = PachClient.Create(connection.Address!.ToString());
        Pach = _pachRoot;
        await ConfigurePachdAsync();
    }

    /// <summary>Runs after start (auth activation).</summary>
    protected virtual Task ConfigurePachdAsync() => Task.CompletedTask;

    /// <summary>Uses <paramref name="client"/> as <see cref="Pach"/> from now on.</summary>
    protected void UsePach(IPachClient client) => Pach = client;

    public async Task DisposeAsync()
    {
        _pachRoot?.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a background task; the temp directory is cleaned by the OS.
        }
    }

    /// <summary>
    /// An AWS SDK client with the SDK's defaults: PutObject goes as signed aws-chunked with a CRC32 trailer.
    /// <paramref name="whenRequired"/> switches the default integrity checksums off (plain signed payloads).
    /// </summary>
    public AmazonS3Client Aws(string accessKey = "test-key", string? secretKey = null, bool whenRequired = false) =>
        AwsClient(BaseUri, accessKey, secretKey ?? accessKey, whenRequired);

    /// <summary>An AWS SDK client for the gateway at <paramref name="baseUri"/>: path style, us-east-1, no retries.</summary>
    internal static AmazonS3Client AwsClient(Uri baseUri, string accessKey, string secretKey, bool whenRequired, TimeSpan? timeout = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = baseUri.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            UseHttp = true,
            MaxErrorRetry = 0,
            RequestChecksumCalculation = whenRequired ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED,
            ResponseChecksumValidation = whenRequired ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED,
        };
        if (timeout is { } t)
        {
            config.Timeout = t;
        }

        return new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config);
    }

    /// <summary>A MinIO SDK client.</summary>
    public IMinioClient Minio(string accessKey = "minio-key") => new MinioClient()
        .WithEndpoint(BaseUri.Host, BaseUri.Port)
        .WithCredentials(accessKey, accessKey)
        .WithSSL(false)
        .Build();

    /// <summary>A fresh repo-safe name.</summary>
    public static string NewName(string stem) => $"{stem}-{Guid.NewGuid().ToString("N")[..10]}";
}

/// <summary>pachd auth not activated: any equal key pair and unsigned requests work.</summary>
public sealed class AuthOffFixture : GatewayFixture;

/// <summary>pachd auth activated with a root token before the first S3 request.</summary>
public sealed class AuthOnFixture : GatewayFixture
{
    public string RootToken { get; private set; } = string.Empty;

    protected override async Task ConfigurePachdAsync()
    {
        RootToken = await Pach.ActivateAuthAsync("it-root-token-" + Guid.NewGuid().ToString("N"));
        UsePach(Pach.WithToken(RootToken));
    }
}

[CollectionDefinition(Name)]
public sealed class AuthOffCollection : ICollectionFixture<AuthOffFixture>
{
    public const string Name = "gateway, auth off";
}

[CollectionDefinition(Name)]
public sealed class AuthOnCollection : ICollectionFixture<AuthOnFixture>
{
    public const string Name = "gateway, auth on";
}
