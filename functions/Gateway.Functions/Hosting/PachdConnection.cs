using Gateway.Pachyderm;
using LocalPachd;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Hosting;

/// <summary>
/// The process's connection to pachd: a <see cref="PachClient"/> to <see cref="GatewayHostOptions.PachdAddress"/>,
/// or, when none is configured, a LocalPachd started in this process on loopback with its data in
/// <see cref="GatewayHostOptions.DataDirectory"/>. Started as a hosted service, so before the first request.
/// </summary>
internal sealed partial class PachdConnection : IHostedService, IAsyncDisposable
{
    private readonly GatewayHostOptions _options;
    private readonly ILogger<PachdConnection> _logger;
    private PachClient? _client;
    private LocalPachdServer? _local;

    public PachdConnection(IOptions<GatewayHostOptions> options, ILogger<PachdConnection> logger)
    {
        _options = options.Value;
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
            _client = PachClient.Create(new PachClientOptions { Address = _options.PachdAddress });
            Address = _client.Address;
            LogExternal(_logger, Address);
            return;
        }

        var directory = Path.GetFullPath(_options.DataDirectory);
        Directory.CreateDirectory(directory);
        _local = await LocalPachdServer.StartAsync(new LocalPachdOptions { DataDirectory = directory, Port = _options.LocalPachdPort }, cancellationToken).ConfigureAwait(false);
        Address = _local.Address;
        DataDirectory = directory;
        _client = PachClient.Create(new PachClientOptions { Address = Address.ToString() });
        LogEmbedded(_logger, Address, directory);
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

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Using pachd at {Address}")]
    private static partial void LogExternal(ILogger logger, Uri address);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "No PACHD_ADDRESS configured: embedded LocalPachd serves gRPC at {Address} with its data in {DataDirectory}")]
    private static partial void LogEmbedded(ILogger logger, Uri address, string dataDirectory);
}
