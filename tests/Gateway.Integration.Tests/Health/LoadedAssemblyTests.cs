using System.Net;
using Gateway.Integration.Tests.Support;

namespace Gateway.Integration.Tests.Health;

/// <summary>
/// What a standalone gateway maps into memory (read from <c>/proc/&lt;pid&gt;/maps</c>): each assembly a process loads
/// stays resident, and the gateway's peak memory is a target of its own (docs/BENCHMARKS.md).
/// </summary>
[Trait("Host", "Standalone")]
public sealed class LoadedAssemblyTests
{
    /// <summary>
    /// With no OTLP or Azure Monitor exporter configured their assemblies are not loaded: each costs mapped code and
    /// type data, and Azure Monitor's pulls in Azure.Core and System.ClientModel.
    /// </summary>
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

    /// <summary>LocalPachd's gRPC services come from its container, not from factories compiled from expression trees.</summary>
    [Fact]
    public async Task Standalone_ServingObjects_DoesNotLoadTheExpressionCompiler()
    {
        await using var gateway = await StandaloneProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = gateway.BaseUri };

        // Each call reaches LocalPachd's gRPC services (PFS, and the version service on start).
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync("/master.loaded", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync("/master.loaded/dir/k", new StringContent("body"))).StatusCode);
        Assert.Equal("body", await http.GetStringAsync("/master.loaded/dir/k"));
        Assert.Contains("<Key>dir/k</Key>", await http.GetStringAsync("/master.loaded?list-type=2"), StringComparison.Ordinal);

        var mapped = gateway.MappedAssemblies();
        Assert.Contains("Grpc.AspNetCore.Server.dll", mapped);
        Assert.DoesNotContain("System.Linq.Expressions.dll", mapped);
    }
}
