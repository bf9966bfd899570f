using Gateway.Core.Hosting;
using Gateway.S3;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Hosting;

/// <summary>Builds the two hosts of the one executable around the same services.</summary>
internal static partial class GatewayHost
{
    /// <summary>The environment variable that forces a mode: <c>functions</c> or <c>standalone</c>.</summary>
    public const string ModeVariable = "GATEWAY_MODE";

    /// <summary>The host setting that makes configuration files reload on change (on by default).</summary>
    internal const string ReloadConfigOnChangeKey = "hostBuilder:reloadConfigOnChange";

    /// <summary>
    /// Functions mode when <c>GATEWAY_MODE=functions</c>, or when the Functions host started us (it always passes
    /// <c>--functions-uri</c>, older hosts <c>--host</c>); <c>GATEWAY_MODE=standalone</c> forces standalone.
    /// </summary>
    public static bool IsFunctionsMode(IReadOnlyList<string> args, string? mode) => mode?.Trim().ToUpperInvariant() switch
    {
        "FUNCTIONS" => true,
        "STANDALONE" => false,
        _ => args.Any(a => a.StartsWith("--functions-uri", StringComparison.Ordinal) || a == "--host"),
    };

    /// <summary>Services shared by both modes: options, the pachd connection and the gateway.</summary>
    public static void ConfigureServices(IServiceCollection services, bool functionsMode = false)
    {
        services.AddOptions<GatewayHostOptions>().BindConfiguration(GatewayHostOptions.SectionName);
        services.AddSingleton(new HostMode(functionsMode));
        services.AddSingleton<PachdConnection>();
        // First of all hosted services: the Functions worker's own connects to the host as it starts, so a refusal to
        // start (no PACHD_ADDRESS in Functions mode) must come before the host has seen a worker ready to serve.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<PachdConnection>()));
        services.AddSingleton(sp => sp.GetRequiredService<PachdConnection>().Client);
        services.AddGateway();
        services.AddHostedService<IdleMemoryRelease>();
        if (functionsMode)
        {
            // Requests arrive re-escaped by the host's forwarder; the gateway undoes what it can (S3ProtocolOptions).
            services.PostConfigure<S3ProtocolOptions>(o => o.BehindFunctionsHost = true);
        }
    }

    /// <summary>
    /// The standalone Kestrel host on port 30600 (plus https on 30601 when a certificate is configured, or <c>urls</c>),
    /// HTTP/1.1, body limit set per request by the handler; health endpoints (<see cref="HealthEndpoints"/>) and the metrics scrape
    /// (<see cref="Observability"/>) before S3;
    /// a graceful shutdown bounded by <see cref="GatewayHostOptions.ShutdownSeconds"/>.
    /// </summary>
    public static WebApplication BuildStandalone(string[] args)
    {
        // Settings are read once, at start (a container restarts to change them). Reloading them on change would watch
        // the content root, the current directory, recursively: from a checkout that is every folder of the repo (1,430
        // inotify watches measured) plus each chunk folder the embedded LocalPachd then creates under ./.data.
        var builder = WebApplication.CreateSlimBuilder([.. args, $"--{ReloadConfigOnChangeKey}=false"]);
        ConfigurationAliases.Apply(builder.Configuration);
        // The slim builder leaves out https address support; TlsEndpoint adds https to the default addresses.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            TlsEndpoint.ConfigureHttpsDefaults(context.Configuration, kestrel);
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
            kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http1);
        });

        // Defaults are the lowest-priority settings, so urls / ASPNETCORE_URLS, test hosts and Logging__LogLevel__* win.
        // The log levels are appsettings.json's, also for a start from another directory (where that file is not
        // found): ASP.NET Core's Information lines carry whole request URLs, presigned signatures included.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData =
            [
                new KeyValuePair<string, string?>(WebHostDefaults.ServerUrlsKey, TlsEndpoint.DefaultUrls(builder.Configuration)),
                new KeyValuePair<string, string?>("Logging:LogLevel:Microsoft.AspNetCore", "Warning"),
                new KeyValuePair<string, string?>("Logging:LogLevel:Grpc", "Warning"),
            ],
        });

        ConfigureServices(builder.Services);
        builder.Services.AddGatewayTelemetry(builder.Configuration, functionsMode: false);
        if (string.Equals(builder.Configuration[$"{GatewayHostOptions.SectionName}:{nameof(GatewayHostOptions.LogFormat)}"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        // SIGTERM: Kestrel stops accepting at once and readiness answers 503 (HealthEndpoints); requests in flight get
        // ShutdownSeconds to finish before their connections are cut.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<GatewayHostOptions>>(
            (host, gateway) => host.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(0, gateway.Value.ShutdownSeconds)));
        var forwarded = ForwardedClients.Configure(builder.Services, builder.Configuration);
        var app = builder.Build();
        if (forwarded)
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<HealthEndpoints>();
        app.UseMetricsEndpoint();
        app.UseGateway();
        app.Lifetime.ApplicationStarted.Register(() => AnnounceEndpoint(app));
        return app;
    }

    private static void AnnounceEndpoint(WebApplication app)
    {
        var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        var connection = app.Services.GetRequiredService<PachdConnection>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Functions");
        var endpoint = addresses is null ? "(unknown)" : string.Join(", ", addresses);
        LogReady(logger, endpoint, connection.Address?.ToString() ?? "(none)", connection.DataDirectory ?? "the external pachd");
    }

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "S3 gateway listening on {Endpoint}; pachd at {Pachd}; data lives in {DataDirectory}")]
    private static partial void LogReady(ILogger logger, string endpoint, string pachd, string dataDirectory);
}

/// <summary>Which host runs the gateway: the Functions host (Functions mode) or its own Kestrel (standalone).</summary>
/// <param name="Functions">True in Functions mode.</param>
internal sealed record HostMode(bool Functions);
