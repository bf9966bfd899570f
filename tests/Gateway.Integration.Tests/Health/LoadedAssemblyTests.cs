using System.Net;
using Gateway.Integration.Tests.Support;

namespace Gateway.Integration.Tests.Health;

/// <summary>
/// What a standalone gateway on its embedded LocalPachd maps into memory while it serves: each assembly a request path
/// touches stays resident, and the process's peak memory is a target of its own (docs/BENCHMARKS.md).
/// </summary>
[Trait("Host", "Standalone")]
public sealed class LoadedAssemblyTests
{
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
