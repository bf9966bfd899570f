using System.Text.Json;
using Gateway.Deployment.Tests.Support;

namespace Gateway.Deployment.Tests;

/// <summary>What each mode deploys: which apps, with which functions, runtime and settings.</summary>
[Collection(DeploymentCollection.Name)]
public sealed class DeploymentModeTests(DeploymentFixture fixture)
{
    private static readonly IReadOnlyList<string> _packageFunctions =
        [.. HostRouting.PackageFunctions(RepositoryLayout.FunctionsOutput).Select(f => f.Name)];

    [Fact]
    public async Task FunctionGroups_ListEveryFunctionOfThePackageExactlyOnce()
    {
        var build = await BicepCli.RunAsync(RepositoryLayout.AzureInfrastructure, "build", "main.bicep", "--stdout");
        build.AssertClean();
        using var template = JsonDocument.Parse(build.StandardOutput);

        var groups = template.RootElement.GetProperty("variables").GetProperty("functionGroups");
        var listed = groups.EnumerateObject().SelectMany(g => g.Value.EnumerateArray().Select(f => f.GetString()!)).ToList();

        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(_packageFunctions.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PerGroup_EveryFunctionIsEnabledInExactlyOneApp()
    {
        var enabled = fixture.Routes.EnabledFunctions;

        Assert.Equal(4, enabled.Count);
        Assert.All(enabled.Values, functions => Assert.NotEmpty(functions));
        Assert.Equal(
            _packageFunctions.Order(StringComparer.Ordinal),
            enabled.Values.SelectMany(f => f).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PerGroup_AppsDisableOnlyFunctionsOfThePackage()
    {
        Assert.All(fixture.PerGroup.Apps.Values, app => Assert.Subset(_packageFunctions.ToHashSet(), app.DisabledFunctions.ToHashSet()));
    }

    [Fact]
    public void Single_OneAppWithEveryFunction_NoFrontDoor()
    {
        var app = Assert.Single(fixture.Single.Apps.Values);

        Assert.Empty(app.DisabledFunctions);
        Assert.Empty(fixture.Single.OfType("Microsoft.Cdn/profiles"));
        Assert.Equal("grpc://pachd.example.internal:30650", app.AppSettings["PACHD_ADDRESS"]);
    }

    [Fact]
    public void PerGroup_PachdAddressIsAKeyVaultReference()
    {
        Assert.All(fixture.PerGroup.Apps.Values, app =>
        {
            Assert.StartsWith("@Microsoft.KeyVault(SecretUri=https://", app.AppSettings["PACHD_ADDRESS"], StringComparison.Ordinal);
            Assert.EndsWith(")", app.AppSettings["PACHD_ADDRESS"], StringComparison.Ordinal);
            Assert.Equal(DeploymentIdentity(app), app.Properties.GetProperty("keyVaultReferenceIdentity").GetString());
        });
        Assert.Contains(
            fixture.PerGroup.OfType("Microsoft.Authorization/roleAssignments"),
            r => r.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!.EndsWith("/4633458b-17de-408a-b874-0445c86b69e6", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryApp_RunsDotnetIsolatedOfThePackagesFramework_OnFlexConsumption()
    {
        // Gateway.Functions.runtimeconfig.json: "tfm": "net10.0" → Flex's runtime version "10.0".
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.FunctionsOutput, "Gateway.Functions.runtimeconfig.json")));
        var version = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("tfm").GetString()!["net".Length..];

        foreach (var snapshot in new[] { fixture.Single, fixture.PerGroup })
        {
            Assert.All(snapshot.Apps.Values, app =>
            {
                var runtime = app.Properties.GetProperty("functionAppConfig").GetProperty("runtime");
                Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
                Assert.Equal(version, runtime.GetProperty("version").GetString());
            });
            Assert.All(snapshot.OfType("Microsoft.Web/serverfarms"), plan =>
            {
                Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
                Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
            });
            Assert.All(snapshot.OfType("Microsoft.Web/sites"), site => Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString()));
        }
    }

    [Fact]
    public void EveryApp_DeploysFromItsContainerWithTheIdentity_AndScalesAsConfigured()
    {
        foreach (var snapshot in new[] { fixture.Single, fixture.PerGroup })
        {
            var containers = snapshot.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Select(c => DeploymentSnapshot.LastSegment(c.GetProperty("name").GetString()!)).ToList();
            Assert.All(snapshot.Apps.Values, app =>
            {
                var config = app.Properties.GetProperty("functionAppConfig");
                var storage = config.GetProperty("deployment").GetProperty("storage");
                Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
                Assert.Contains(containers, c => storage.GetProperty("value").GetString()!.Contains($"'{c}'", StringComparison.Ordinal));
                Assert.Equal("UserAssignedIdentity", storage.GetProperty("authentication").GetProperty("type").GetString());
                var scale = config.GetProperty("scaleAndConcurrency");
                Assert.InRange(scale.GetProperty("maximumInstanceCount").GetInt32(), 1, 1000);
                Assert.Contains(scale.GetProperty("instanceMemoryMB").GetInt32(), new[] { 512, 2048, 4096 });
                Assert.True(scale.GetProperty("triggers").GetProperty("http").GetProperty("perInstanceConcurrency").GetInt32() > 0);
            });
            Assert.Equal(snapshot.Apps.Count, containers.Distinct(StringComparer.Ordinal).Count());
        }

        var perGroupScale = fixture.PerGroup.Apps.Values.First().Properties.GetProperty("functionAppConfig").GetProperty("scaleAndConcurrency");
        Assert.Equal(200, perGroupScale.GetProperty("maximumInstanceCount").GetInt32());
        Assert.Equal(4096, perGroupScale.GetProperty("instanceMemoryMB").GetInt32());
        Assert.Equal(32, perGroupScale.GetProperty("triggers").GetProperty("http").GetProperty("perInstanceConcurrency").GetInt32());
    }

    [Fact]
    public void EveryApp_HasTheGatewaySettings_AndNoneFlexDeprecatesOrATokenOfItsOwn()
    {
        string[] deprecatedOnFlex = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "AzureWebJobsStorage"];
        foreach (var snapshot in new[] { fixture.Single, fixture.PerGroup })
        {
            Assert.All(snapshot.Apps.Values, app =>
            {
                Assert.Equal("1073741824", app.AppSettings["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"]);
                Assert.Equal("managedidentity", app.AppSettings["AzureWebJobsStorage__credential"]);
                Assert.True(app.AppSettings.ContainsKey("APPLICATIONINSIGHTS_CONNECTION_STRING"));
                Assert.DoesNotContain(app.AppSettings.Keys, k => deprecatedOnFlex.Contains(k, StringComparer.OrdinalIgnoreCase));
                // Each S3 request carries its caller's Pachyderm token; the gateway has none of its own.
                Assert.DoesNotContain(app.AppSettings.Keys, k => k.Contains("TOKEN", StringComparison.OrdinalIgnoreCase));
            });
        }

        Assert.All(fixture.PerGroup.Apps.Values, app => Assert.Equal("westeurope", app.AppSettings["GATEWAY_REGION"]));
        Assert.False(fixture.Single.Apps.Values.Single().AppSettings.ContainsKey("GATEWAY_REGION"));
    }

    private static string? DeploymentIdentity(FunctionApp app) =>
        app.Properties.GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage")
            .GetProperty("authentication").GetProperty("userAssignedIdentityResourceId").GetString();
}
