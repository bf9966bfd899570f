using Gateway.Pachyderm;
using LocalPachd;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Hosting;

/// <summary>
/// The process's connection to pachd: a <see cref="PachClient"/> to <see cref="GatewayHostOptions.PachdAddress"/>,
/// or, when none is configured, a LocalPachd started in this process on loopback with its data in
/// <see cref="GatewayHostOptions.DataDirectory"/>. Started as a hosted service, so before the first request. Either way
/// the client has the configured deadline, stream idle and connect timeouts.
/// </summary>
internal sealed partial class PachdConnection : IHostedService, IAsyncDisposable
{
    private readonly GatewayHostOptions _options;
    private readonly HostMode _mode;
    private readonly ILogger<PachdConnection> _logger;
    private PachClient? _client;
    private LocalPachdServer? _local;

    public PachdConnection(IOptions<GatewayHostOptions> options, HostMode mode, ILogger<PachdConnection> logger)
    {
        _options = options.Value;
        _mode = mode;
        _logger = logger;
    }

    /// <summary>The client (valid once started).</summary>
    public IPachClient Client => _client ?? throw new InvalidOperationException("The pachd connection has not been started.");

    /// <summary>pachd's gRPC address.</summary>
    public Uri? Address { get; private set; }

    /// <summary>The embedded LocalPachd's data directory (null when an external pachd is used).</summary>
    public string? DataDirectory { get; private set; }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_client is not null)
        {
            return;
        }

        if (!string.IsNullOrWhiteSpace(_options.PachdAddress))
        {
            _client = PachClient.Create(ClientOptions(_options.PachdAddress));
            Address = _client.Address;
            LogExternal(_logger, Address);
            return;
        }

        if (_mode.Functions && !_options.FunctionsLocalPachd)
        {
            // Every instance of a scaled-out function app would get a private, empty store of its own.
            throw new InvalidOperationException(
                "Functions mode needs PACHD_ADDRESS (the pachd gRPC address the function app calls). The embedded LocalPachd "
                + "is for development only: set GATEWAY_FUNCTIONS_LOCALPACHD=true to use it with 'func start'.");
        }

        var directory = Path.GetFullPath(_options.DataDirectory);
        Directory.CreateDirectory(directory);
        _local = await LocalPachdServer.StartAsync(new LocalPachdOptions { DataDirectory = directory, Port = _options.LocalPachdPort, Synchronous = _options.LocalPachdSynchronous }, cancellationToken).ConfigureAwait(false);
        Address = _local.Address;
        DataDirectory = directory;
        var options = ClientOptions(Address.ToString());
        // Same process: the gateway talks to its LocalPachd over in-memory pipes, not a loopback socket.
        options.Connect = _local.ConnectAsync;
        _client = PachClient.Create(options);
        LogEmbedded(_logger, Address, directory);
        if (!string.IsNullOrEmpty(_options.LocalPachdRootToken))
        {
            await ActivateAuthAsync(_client, _options.LocalPachdRootToken, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The pachd client's settings for <paramref name="address"/>: the configured timeouts (0 or less: none).</summary>
    internal PachClientOptions ClientOptions(string address) => new()
    {
        Address = address,
        CallTimeout = Timeout(_options.PachdTimeoutSeconds),
        StreamIdleTimeout = Timeout(_options.PachdIdleTimeoutSeconds),
        ConnectTimeout = Timeout(_options.PachdConnectTimeoutSeconds),
    };

    private static TimeSpan Timeout(double seconds) => seconds > 0 ? TimeSpan.FromSeconds(seconds) : System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Turns auth on in the embedded LocalPachd with the configured root token, once: when it is already on (a later
    /// start on the same data), the token must still be valid, else the gateway refuses to start rather than serve
    /// with credentials nobody knows.
    /// </summary>
    private async Task ActivateAuthAsync(PachClient client, string rootToken, CancellationToken cancellationToken)
    {
        if (!await client.IsAuthActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            await client.ActivateAuthAsync(rootToken, cancellationToken).ConfigureAwait(false);
            LogAuthActivated(_logger);
            return;
        }

        try
        {
            await client.WithToken(rootToken).WhoAmIAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.BadToken or PachErrorKind.NotAuthorized)
        {
            throw new InvalidOperationException("GATEWAY_LOCALPACHD_ROOT_TOKEN does not match the root token of the embedded LocalPachd's data directory, where auth is already active.", e);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        _client = null;
        if (_local is not null)
        {
            await _local.DisposeAsync().ConfigureAwait(false);
            _local = null;
        }
    }

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Auth activated in the embedded LocalPachd with the configured root token")]
    private static partial void LogAuthActivated(ILogger logger);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Using pachd at {Address}")]
    private static partial void LogExternal(ILogger logger, Uri address);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "No PACHD_ADDRESS configured: embedded LocalPachd serves gRPC at {Address} with its data in {DataDirectory}")]
    private static partial void LogEmbedded(ILogger logger, Uri address, string dataDirectory);
}
