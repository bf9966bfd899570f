using System.Text.Json;
using Gateway.Deployment.Tests.Support;

namespace Gateway.Deployment.Tests;

/// <summary>
/// The per-group deployment routes like a single app: for every generated request Front Door picks an app in which a
/// function serves it, the same function a single app with every function would run, so splitting the groups into
/// apps changes nothing a client sees; and no enabled function sits idle behind Front Door.
/// </summary>
[Collection(DeploymentCollection.Name)]
public sealed class FrontDoorRouteTests(DeploymentFixture fixture)
{
    [Fact]
    public void EveryRequest_ReachesAnAppWithAFunctionForIt()
    {
        var unserved = fixture.Routes.Requests.Where(r => r.Function is null || r.Function == HostRouting.Homepage).Select(r => r.ToString()).Distinct().ToList();

        Assert.True(unserved.Count == 0, $"{unserved.Count} requests reach no function:{Environment.NewLine}{string.Join(Environment.NewLine, unserved.Take(40))}");
    }

    [Fact]
    public void EveryRequest_RunsTheFunctionASingleAppRuns()
    {
        var different = fixture.Routes.Requests.Where(r => r.Function != r.SingleAppFunction).Select(r => r.ToString()).Distinct().ToList();

        Assert.True(different.Count == 0, $"{different.Count} requests run another function than in a single app:{Environment.NewLine}{string.Join(Environment.NewLine, different.Take(40))}");
    }

    [Fact]
    public void EveryRequest_GoesToTheSameAppWhateverTheOpenQuestionsAnswer()
    {
        // Raw or decoded UrlPath, whole-value or partial regex match: the rules must not depend on either.
        var ambiguous = fixture.Routes.Requests
            .GroupBy(r => (r.Method, r.Target))
            .Where(g => g.Select(r => r.App).Distinct().Count() > 1)
            .Select(g => $"{g.Key.Method} {g.Key.Target}: {string.Join(", ", g.Select(r => $"{r.FrontDoorPath}/{r.Semantics} -> {r.App}").Distinct())}")
            .ToList();

        Assert.True(ambiguous.Count == 0, string.Join(Environment.NewLine, ambiguous));
    }

    [Fact]
    public void EveryEnabledFunction_ReceivesRequests()
    {
        // A function that not even a single app ever runs (its route is always shadowed by another) cannot receive
        // anything behind Front Door either; SingleAppRoutingTests pins which ones those are.
        var idle = new List<string>();
        foreach (var (app, functions) in fixture.Routes.EnabledFunctions)
        {
            var received = fixture.Routes.Requests.Where(r => r.App == app).Select(r => r.Function).ToHashSet();
            idle.AddRange(functions.Where(f => !received.Contains(f) && fixture.Routes.ReachedInSingleApp.Contains(f)).Select(f => $"{app}: {f}"));
        }

        Assert.True(idle.Count == 0, $"enabled functions no request reaches:{Environment.NewLine}{string.Join(Environment.NewLine, idle)}");
    }

    [Fact]
    public void EveryApp_IsTheOriginOfOneOriginGroup()
    {
        var routing = FrontDoorRouting.From(fixture.PerGroup);

        Assert.Equal(
            fixture.PerGroup.Apps.Keys.Order(StringComparer.OrdinalIgnoreCase),
            routing.OriginGroupApps.Values.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Contains(routing.DefaultOriginGroup, routing.OriginGroupApps.Keys);
        Assert.All(routing.Rules, rule => Assert.Contains(rule.OriginGroup ?? "(none)", routing.OriginGroupApps.Keys));
    }

    [Fact]
    public void Rules_MatchOnlyMethodsTheRequestMethodConditionAccepts()
    {
        var routing = FrontDoorRouting.From(fixture.PerGroup);
        var methods = routing.Rules.SelectMany(r => r.Conditions).Where(c => c.Variable == "RequestMethod").SelectMany(c => c.Values);

        Assert.All(methods, m => Assert.Contains(m, FrontDoorRouting.RequestMethodValues));
    }

    [Fact]
    public void RouteAndOverrides_HttpsOnly_NoCaching_NoRewriting_QueryKept()
    {
        var routing = FrontDoorRouting.From(fixture.PerGroup);
        var route = routing.Route;

        Assert.Equal("HttpsOnly", route.GetProperty("forwardingProtocol").GetString());
        Assert.False(Present(route, "cacheConfiguration"), "the route caches");
        Assert.False(Present(route, "originPath"), "the route rewrites paths (originPath)");
        Assert.Equal(["/*"], route.GetProperty("patternsToMatch").EnumerateArray().Select(p => p.GetString()));
        Assert.All(routing.Rules, rule =>
        {
            Assert.False(Present(rule.Override, "cacheConfiguration"), $"rule {rule.Name} turns caching on");
            Assert.Equal("HttpsOnly", rule.Override.GetProperty("originGroupOverride").GetProperty("forwardingProtocol").GetString());
        });
    }

    [Fact]
    public void Profile_WaitsForOriginsAsLongAsFrontDoorAllows()
    {
        var profile = Assert.Single(fixture.PerGroup.OfType("Microsoft.Cdn/profiles"));

        Assert.Equal("Standard_AzureFrontDoor", profile.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal(240, profile.GetProperty("properties").GetProperty("originResponseTimeoutSeconds").GetInt32());
    }

    [Fact]
    public void Origins_SendTheClientsHostOrTheAppsOwn_AndUseHttps()
    {
        var parameters = File.ReadAllText(Path.Combine(RepositoryLayout.AzureInfrastructure, DeploymentFixture.PerGroupParameters));
        foreach (var origin in fixture.PerGroup.OfType("Microsoft.Cdn/profiles/originGroups/origins"))
        {
            var properties = origin.GetProperty("properties");
            var hostName = properties.GetProperty("hostName").GetString()!;
            var hostHeader = properties.GetProperty("originHostHeader").GetString()!;

            Assert.Contains(".defaultHostName", hostName, StringComparison.Ordinal);
            Assert.True(hostHeader == hostName || parameters.Contains($"customDomainName = '{hostHeader}'", StringComparison.Ordinal), $"origin host header {hostHeader}");
            Assert.Equal(443, properties.GetProperty("httpsPort").GetInt32());
        }
    }

    private static bool Present(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null;
}
