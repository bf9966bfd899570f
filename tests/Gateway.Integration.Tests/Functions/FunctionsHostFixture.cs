using Amazon.S3;

namespace Gateway.Integration.Tests.Functions;

/// <summary>
/// Gateway.Functions in Functions mode behind the Functions host emulator (tests/Tools/FunctionsHost), both from the
/// solution's build output of this test's configuration (nothing is built here): the emulator starts the worker as the
/// Azure Functions host does, and the worker runs the embedded LocalPachd in a temporary directory.
/// </summary>
public class FunctionsHostFixture : IAsyncLifetime
{
    private EmulatorProcess? _emulator;

    /// <summary>The emulator's HTTP address (http://127.0.0.1:port/).</summary>
    public Uri BaseUri => Emulator.BaseUri;

    /// <summary>The embedded LocalPachd's data directory (deleted on dispose).</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "gw-fh-" + Guid.NewGuid().ToString("N"));

    /// <summary>From the emulator's start to its ready line.</summary>
    public TimeSpan StartupTime => Emulator.StartupTime;

    /// <summary>Everything the emulator (and the worker through it) printed so far.</summary>
    public string Output => Emulator.Output;

    private EmulatorProcess Emulator => _emulator ?? throw new InvalidOperationException("The emulator has not been started.");

    /// <summary>Environment for the emulator, which the worker inherits.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Environment() =>
    [
        new("GATEWAY_DATA_DIR", DataDirectory),
        new("GATEWAY_AUTH_MODE_CACHE_SECONDS", "0"),
        new("GATEWAY_FUNCTIONS_LOCALPACHD", "true"),
    ];

    public async Task InitializeAsync() => _emulator = await EmulatorProcess.StartAsync(Environment());

    /// <summary>Gateway.Functions' and the emulator's output directories for this test's configuration and framework.</summary>
    internal static (string App, string Emulator) BuildOutputs() => EmulatorProcess.BuildOutputs();

    /// <summary>An AWS SDK client for the emulator (SDK defaults otherwise, as <c>GatewayFixture.Aws</c>).</summary>
    public AmazonS3Client Aws(string accessKey = "test-key", bool whenRequired = false) =>
        Support.GatewayFixture.AwsClient(BaseUri, accessKey, accessKey, whenRequired, TimeSpan.FromMinutes(2));

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}

/// <summary>Auth off (any key pair works).</summary>
public sealed class FunctionsHostAuthOffFixture : FunctionsHostFixture;

/// <summary>The embedded LocalPachd with auth on (GATEWAY_LOCALPACHD_ROOT_TOKEN): requests must be signed with the root token.</summary>
public sealed class FunctionsHostAuthOnFixture : FunctionsHostFixture
{
    public string RootToken { get; } = "fh-root-" + Guid.NewGuid().ToString("N");

    protected override IEnumerable<KeyValuePair<string, string>> Environment() =>
        base.Environment().Append(new("GATEWAY_LOCALPACHD_ROOT_TOKEN", RootToken));
}

[CollectionDefinition(Name)]
public sealed class FunctionsHostCollection : ICollectionFixture<FunctionsHostAuthOffFixture>, ICollectionFixture<FunctionsHostAuthOnFixture>
{
    public const string Name = "gateway behind the Functions host emulator";
}
