extern alias functions;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Observability = functions::Gateway.Functions.Hosting.Observability;

namespace Gateway.Integration.Tests.Telemetry;

/// <summary>Which exporters the configuration turns on (<c>Observability.AddGatewayTelemetry</c>).</summary>
public sealed class ObservabilityTests
{
    private static ServiceProvider Build(bool functionsMode, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton<IConfiguration>(configuration);
        Observability.AddGatewayTelemetry(services, configuration, functionsMode);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Standalone_Default_MetricsForTheScrape_NoTracer()
    {
        using var services = Build(functionsMode: false);

        Assert.NotNull(services.GetService<MeterProvider>());
        Assert.Null(services.GetService<TracerProvider>());
    }

    [Fact]
    public void Standalone_MetricsOff_NothingRuns()
    {
        using var services = Build(functionsMode: false, ("Gateway:Metrics", "false"));

        Assert.Null(services.GetService<MeterProvider>());
        Assert.Null(services.GetService<TracerProvider>());
    }

    [Fact]
    public void Functions_NoExporterConfigured_NothingRuns()
    {
        using var services = Build(functionsMode: true);

        Assert.Null(services.GetService<MeterProvider>());
        Assert.Null(services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/")]
    public void Functions_ExporterConfigured_MetricsAndTraces(string key, string value)
    {
        using var services = Build(functionsMode: true, (key, value));

        Assert.NotNull(services.GetService<MeterProvider>());
        Assert.NotNull(services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Authorization=Other")]
    [InlineData("ClientId=1d1a7a37-4a41-4c5e-9b89-6a5c1e2a0b11")]
    public void AuthenticationString_WithoutEntraId_KeyAlone(string? value) =>
        Assert.Null(Observability.ManagedIdentityFromAuthenticationString(value));

    [Theory]
    [InlineData("Authorization=AAD")]
    [InlineData("ClientId=1d1a7a37-4a41-4c5e-9b89-6a5c1e2a0b11;Authorization=AAD")]
    [InlineData(" authorization = aad ; clientid = 1d1a7a37-4a41-4c5e-9b89-6a5c1e2a0b11 ")]
    public void AuthenticationString_EntraId_ManagedIdentity(string value) =>
        Assert.NotNull(Observability.ManagedIdentityFromAuthenticationString(value));
}
