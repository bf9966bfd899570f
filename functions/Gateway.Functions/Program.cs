using Gateway.Functions.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// One executable, two hosts. Started by the Azure Functions host it is an isolated worker whose HTTP
// triggers call the gateway; started any other way (dotnet run, the container, tests) it serves S3 itself
// on Kestrel. Both call the same GatewayHandler.
if (GatewayHost.IsFunctionsMode(args, Environment.GetEnvironmentVariable(GatewayHost.ModeVariable)))
{
    var functions = FunctionsApplication.CreateBuilder(args);
    functions.ConfigureFunctionsWebApplication();
    ConfigurationAliases.Apply(functions.Configuration);
    GatewayHost.ConfigureServices(functions.Services, functionsMode: true);
    functions.Services.AddGatewayTelemetry(functions.Configuration, functionsMode: true);

    // The worker's own Kestrel has the 30 MB default too; the handler sets the real limit per request.
    functions.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = null);
    await functions.Build().RunAsync().ConfigureAwait(false);
    return;
}

await GatewayHost.BuildStandalone(args).RunAsync().ConfigureAwait(false);

/// <summary>The entry point; public and partial for WebApplicationFactory.</summary>
public partial class Program;
