using Gateway.Integration.Tests.Support;

namespace Gateway.Integration.Tests.Telemetry;

/// <summary>
/// A gateway with no OTLP or Azure Monitor exporter configured does not load their assemblies: each costs mapped code
/// and type data in every process, and Azure Monitor's pulls in Azure.Core and System.ClientModel.
/// </summary>
[Trait("Host", "Standalone")]
public sealed class ExporterAssemblyTests
{
    [Fact]
    public async Task Standalone_NoExporterConfigured_TheirAssembliesAreNotLoaded()
    {
        await using var gateway = await StandaloneProcess.StartAsync(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", null), ("APPLICATIONINSIGHTS_CONNECTION_STRING", null));
        using var http = new HttpClient();
        using (var response = await http.GetAsync(new Uri(gateway.BaseUri, "/~/metrics")))
        {
            response.EnsureSuccessStatusCode();
        }

        var mapped = gateway.MappedAssemblies();

        Assert.Contains("OpenTelemetry.dll", mapped);
        Assert.DoesNotContain("Azure.Core.dll", mapped);
        Assert.DoesNotContain("Azure.Monitor.OpenTelemetry.Exporter.dll", mapped);
        Assert.DoesNotContain("OpenTelemetry.Exporter.OpenTelemetryProtocol.dll", mapped);
    }
}
