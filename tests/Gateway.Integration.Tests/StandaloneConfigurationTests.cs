extern alias functions;

using Microsoft.Extensions.Configuration;
using GatewayHost = functions::Gateway.Functions.Hosting.GatewayHost;

namespace Gateway.Integration.Tests;

/// <summary>How the standalone host reads its settings.</summary>
public sealed class StandaloneConfigurationTests
{
    /// <summary>
    /// Settings files are read once: a file watcher on the content root (the current directory) would watch every
    /// folder below it, a whole checkout and the embedded LocalPachd's data folders when started with dotnet run.
    /// </summary>
    [Fact]
    public async Task BuildStandalone_SettingsFiles_AreNotWatched()
    {
        var data = Path.Combine(Path.GetTempPath(), "gw-config-" + Guid.NewGuid().ToString("N"));
        var app = GatewayHost.BuildStandalone(["--urls=http://127.0.0.1:0", $"--Gateway:DataDirectory={data}"]);
        await using (app)
        {
            var files = ((IConfigurationRoot)app.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();

            Assert.Contains(files, f => f.Source.Path == "appsettings.json");
            Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} reloads on change"));
        }
    }
}
