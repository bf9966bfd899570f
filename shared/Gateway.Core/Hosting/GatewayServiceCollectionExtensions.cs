using Gateway.Core.Auth;
using Gateway.Core.Health;
using Gateway.Core.Telemetry;
using Gateway.Pachyderm;
using Gateway.S3;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Hosting;

/// <summary>Registers the gateway in a host. The host must also register an <see cref="IPachClient"/>.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="GatewayHandler"/>, <see cref="PachdReadiness"/> and their options: <see cref="GatewayOptions"/> from section
    /// <c>Gateway</c> and <see cref="S3ProtocolOptions"/> from section <c>S3</c>.
    /// </summary>
    public static IServiceCollection AddGateway(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName);
        services.AddOptions<S3ProtocolOptions>().BindConfiguration("S3");
        services.AddOptions<AuthFailureLimitOptions>().BindConfiguration(AuthFailureLimitOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new PachAuthenticator(
            sp.GetRequiredService<IPachClient>(),
            sp.GetRequiredService<IOptions<GatewayOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PachAuthenticator>>()));
        services.TryAddSingleton(sp => new PachdReadiness(
            sp.GetRequiredService<IPachClient>(),
            sp.GetRequiredService<IOptions<GatewayOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PachdReadiness>>()));
        services.TryAddSingleton(sp => new GatewayHandler(
            sp.GetRequiredService<PachAuthenticator>(),
            sp.GetRequiredService<IOptions<S3ProtocolOptions>>(),
            sp.GetRequiredService<IOptions<GatewayOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GatewayHandler>>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(GatewayHandler.AccessLogCategory),
            sp.GetRequiredService<IOptions<AuthFailureLimitOptions>>().Value));
        PachdCallMetrics.EnsureStarted();
        return services;
    }

    /// <summary>
    /// Serves every request with the gateway (terminal middleware: no routing, so nothing normalises the path
    /// before the handler reads the raw target). The handler is resolved per request, after hosted services
    /// (such as an in-process pachd) have started.
    /// </summary>
    public static IApplicationBuilder UseGateway(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Run(static context => context.RequestServices.GetRequiredService<GatewayHandler>().HandleAsync(context));
        return app;
    }
}
