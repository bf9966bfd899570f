using System.Runtime.CompilerServices;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Gateway.Core.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Functions.Hosting;

/// <summary>
/// Where the gateway's telemetry (<see cref="GatewayTelemetry"/>: request and pachd call metrics, spans from each S3
/// request into its gRPC calls) goes, chosen by configuration alone:
/// <list type="bullet">
/// <item>Standalone: metrics in Prometheus' text format at <see cref="MetricsPath"/> (unless <c>GATEWAY_METRICS=false</c>).</item>
/// <item>Either mode, OTLP (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, the standard variables): metrics and traces.</item>
/// <item>Either mode, Azure Monitor (<c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>): metrics, traces and logs. In
/// Functions mode the worker's spans join the host's trace (the host runs with <c>telemetryMode: OpenTelemetry</c>).</item>
/// </list>
/// With no exporter configured no tracer runs, so spans cost nothing beyond the pachd call metrics.
/// </summary>
internal static class Observability
{
    /// <summary>The Prometheus scrape path of the standalone host (a path no bucket can take; see <see cref="HealthEndpoints"/>).</summary>
    public const string MetricsPath = "/~/metrics";

    /// <summary>The <c>service.name</c> of the gateway's telemetry unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string ServiceName = "pachyderm-s3-gateway";

    /// <summary>The .NET runtime's own meter (GC, heap, thread pool): the memory the gateway holds.</summary>
    private const string _runtimeMeter = "System.Runtime";

    /// <summary>Registers the OpenTelemetry SDK with the exporters the configuration asks for.</summary>
    public static void AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration, bool functionsMode)
    {
        var prometheus = !functionsMode && configuration.GetValue($"{GatewayHostOptions.SectionName}:{nameof(GatewayHostOptions.Metrics)}", true);
        var otlp = IsSet(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT")
            || IsSet(configuration, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") || IsSet(configuration, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
        var azureMonitor = IsSet(configuration, "APPLICATIONINSIGHTS_CONNECTION_STRING");
        if (!prometheus && !otlp && !azureMonitor)
        {
            return;
        }

        var telemetry = services.AddOpenTelemetry();
        if (!IsSet(configuration, "OTEL_SERVICE_NAME"))
        {
            telemetry.ConfigureResource(resource => resource.AddService(ServiceName));
        }

        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(GatewayTelemetry.Name, _runtimeMeter);
            if (prometheus)
            {
                // Every scrape collects afresh: the exporter's default 300 ms response cache can hand a scrape that
                // follows another closely the earlier figures (scrapers come every 15 s or more; a collection is cheap).
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            }

            if (otlp)
            {
                AddOtlp(metrics);
            }
        });

        if (otlp || azureMonitor)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(GatewayTelemetry.Name, GatewayTelemetry.GrpcClientSourceName);
                if (otlp)
                {
                    AddOtlp(tracing);
                }
            });
        }

        if (functionsMode)
        {
            UseFunctionsWorkerDefaults(telemetry);
        }

        if (azureMonitor)
        {
            UseAzureMonitor(telemetry, configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        }
    }

    // The exporters live in methods of their own, never inlined, so that the assemblies of those not configured (Azure
    // Monitor's pulls in Azure.Core and System.ClientModel) are not loaded: the JIT loads every assembly a method it
    // compiles refers to, whether or not that branch runs (2-3 MiB of mapped code and type data in a standalone gateway).

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddOtlp(MeterProviderBuilder metrics) => metrics.AddOtlpExporter();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddOtlp(TracerProviderBuilder tracing) => tracing.AddOtlpExporter();

    /// <summary>The invocation's trace context from the host, and the function app's resource attributes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UseFunctionsWorkerDefaults(IOpenTelemetryBuilder telemetry) => telemetry.UseFunctionsWorkerDefaults();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UseAzureMonitor(IOpenTelemetryBuilder telemetry, string? authenticationString)
    {
        var credential = ManagedIdentityFromAuthenticationString(authenticationString);
        telemetry.UseAzureMonitorExporter(exporter => exporter.Credential = credential);
    }

    /// <summary>Serves <see cref="MetricsPath"/> when the Prometheus exporter was registered.</summary>
    public static void UseMetricsEndpoint(this WebApplication app)
    {
        if (app.Services.GetService<MeterProvider>() is null
            || !app.Services.GetRequiredService<IOptions<GatewayHostOptions>>().Value.Metrics)
        {
            return;
        }

        var s3 = app.Services.GetRequiredService<IOptions<Gateway.S3.S3ProtocolOptions>>().Value;
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => HealthEndpoints.IsGatewayPath(context, MetricsPath, s3));
    }

    /// <summary>
    /// The managed identity that <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> names for Entra ID sign-in, as the
    /// Functions host reads it (<c>Authorization=AAD</c>, plus <c>ClientId=…</c> for a user-assigned identity); null
    /// (the connection string's key alone) when it is unset or names no Entra ID sign-in. infra/azure deploys Application
    /// Insights with local authentication off, so there the exporter must sign in.
    /// </summary>
    internal static ManagedIdentityCredential? ManagedIdentityFromAuthenticationString(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var parts = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var kind) || !string.Equals(kind, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && !string.IsNullOrEmpty(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }

    private static bool IsSet(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);
}
