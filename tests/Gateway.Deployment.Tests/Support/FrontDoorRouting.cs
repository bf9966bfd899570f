using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Deployment.Tests.Support;

/// <summary>How Front Door's regex operator is applied to a value; the docs say neither, so the rules must not care.</summary>
internal enum RegexSemantics
{
    /// <summary>A match anywhere in the value (as Regex.IsMatch).</summary>
    Search,

    /// <summary>The whole value must match.</summary>
    FullMatch,
}

/// <summary>
/// The origin group Azure Front Door picks for a request, from the predicted route and rule set: the route's origin
/// group unless a rule's RouteConfigurationOverride action replaces it. Rules run in their order; every condition of a
/// rule must match (a condition matches when any of its values does); a matching rule with matchProcessingBehavior
/// Stop ends the evaluation. Only the conditions and operators infra/azure uses are implemented; anything else fails
/// the test rather than being guessed at.
/// </summary>
internal sealed class FrontDoorRouting
{
    /// <summary>Methods the RequestMethod condition accepts (Front Door docs, "Rules match conditions").</summary>
    public static readonly IReadOnlySet<string> RequestMethodValues = new HashSet<string>(StringComparer.Ordinal)
    {
        "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "TRACE",
    };

    private FrontDoorRouting(JsonElement route, string defaultOriginGroup, IReadOnlyList<FrontDoorRule> rules, IReadOnlyDictionary<string, string> originGroupApps)
    {
        Route = route;
        DefaultOriginGroup = defaultOriginGroup;
        Rules = rules;
        OriginGroupApps = originGroupApps;
    }

    /// <summary>The route's properties.</summary>
    public JsonElement Route { get; }

    /// <summary>The route's origin group.</summary>
    public string DefaultOriginGroup { get; }

    /// <summary>The rules of the route's rule sets, in order.</summary>
    public IReadOnlyList<FrontDoorRule> Rules { get; }

    /// <summary>Origin group name → the function app its (single) origin is.</summary>
    public IReadOnlyDictionary<string, string> OriginGroupApps { get; }

    /// <summary>Reads the profile's single route, its rule sets and the origins' apps.</summary>
    public static FrontDoorRouting From(DeploymentSnapshot snapshot)
    {
        var routes = snapshot.OfType("Microsoft.Cdn/profiles/afdEndpoints/routes").ToList();
        var route = Assert.Single(routes).GetProperty("properties");
        var defaultGroup = DeploymentSnapshot.LastSegment(route.GetProperty("originGroup").GetProperty("id").GetString()!);
        var ruleSets = route.TryGetProperty("ruleSets", out var sets)
            ? sets.EnumerateArray().Select(s => DeploymentSnapshot.LastSegment(s.GetProperty("id").GetString()!)).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : [];

        var rules = snapshot.OfType("Microsoft.Cdn/profiles/ruleSets/rules")
            .Select(FrontDoorRule.From)
            .Where(rule => ruleSets.Contains(rule.RuleSet))
            .OrderBy(rule => rule.RuleSet, StringComparer.Ordinal)
            .ThenBy(rule => rule.Order)
            .ToList();

        var originGroupApps = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var origin in snapshot.OfType("Microsoft.Cdn/profiles/originGroups/origins"))
        {
            // profile/originGroup/origin
            var segments = origin.GetProperty("name").GetString()!.Split('/');
            var group = segments[^2];
            var app = DeploymentSnapshot.ReferencedSite(origin.GetProperty("properties").GetProperty("hostName").GetString()!);
            Assert.True(originGroupApps.TryAdd(group, app), $"origin group {group} has more than one origin");
        }

        return new FrontDoorRouting(route, defaultGroup, rules, originGroupApps);
    }

    /// <summary>
    /// The origin group for a request. <paramref name="urlPath"/> is the path as the UrlPath condition sees it: after
    /// the host name and its slash, without the query ("" for "/").
    /// </summary>
    public string Pick(string method, string urlPath, RegexSemantics semantics)
    {
        var group = DefaultOriginGroup;
        foreach (var rule in Rules)
        {
            if (!rule.Conditions.All(c => c.Matches(method, urlPath, semantics)))
            {
                continue;
            }

            if (rule.OriginGroup is { } overridden)
            {
                group = overridden;
            }

            if (rule.Stop)
            {
                break;
            }
        }

        return group;
    }
}

/// <summary>One rule of a rule set.</summary>
internal sealed record FrontDoorRule(string RuleSet, string Name, int Order, bool Stop, IReadOnlyList<FrontDoorCondition> Conditions, string? OriginGroup, JsonElement Override)
{
    public static FrontDoorRule From(JsonElement resource)
    {
        // profile/ruleSet/rule
        var segments = resource.GetProperty("name").GetString()!.Split('/');
        var properties = resource.GetProperty("properties");
        string? originGroup = null;
        JsonElement overrideParameters = default;
        foreach (var action in properties.GetProperty("actions").EnumerateArray())
        {
            var name = action.GetProperty("name").GetString();
            Assert.True(name == "RouteConfigurationOverride", $"rule {segments[^1]}: action {name} is not modelled by this check");
            overrideParameters = action.GetProperty("parameters");
            if (overrideParameters.TryGetProperty("originGroupOverride", out var o) && o.TryGetProperty("originGroup", out var g))
            {
                originGroup = DeploymentSnapshot.LastSegment(g.GetProperty("id").GetString()!);
            }
        }

        return new FrontDoorRule(
            segments[^2],
            segments[^1],
            properties.GetProperty("order").GetInt32(),
            properties.TryGetProperty("matchProcessingBehavior", out var behavior) && behavior.GetString() == "Stop",
            properties.GetProperty("conditions").EnumerateArray().Select(FrontDoorCondition.From).ToList(),
            originGroup,
            overrideParameters);
    }
}

/// <summary>One match condition of a rule.</summary>
internal sealed record FrontDoorCondition(string Variable, string Operator, bool Negate, IReadOnlyList<string> Values, IReadOnlyList<string> Transforms)
{
    public static FrontDoorCondition From(JsonElement condition)
    {
        var parameters = condition.GetProperty("parameters");
        return new FrontDoorCondition(
            condition.GetProperty("name").GetString()!,
            parameters.GetProperty("operator").GetString()!,
            parameters.TryGetProperty("negateCondition", out var negate) && negate.GetBoolean(),
            parameters.TryGetProperty("matchValues", out var values) ? values.EnumerateArray().Select(v => v.GetString()!).ToList() : [],
            parameters.TryGetProperty("transforms", out var transforms) ? transforms.EnumerateArray().Select(t => t.GetString()!).ToList() : []);
    }

    public bool Matches(string method, string urlPath, RegexSemantics semantics)
    {
        var matched = Variable switch
        {
            // The only operator Front Door offers for methods; values are the methods, upper case.
            "RequestMethod" when Operator == "Equal" => Values.Contains(method, StringComparer.Ordinal),
            "UrlPath" => MatchesString(Transform(urlPath), semantics),
            _ => throw new InvalidOperationException($"condition {Variable} with operator {Operator} is not modelled by this check"),
        };
        return matched != Negate;
    }

    private bool MatchesString(string value, RegexSemantics semantics) => Operator switch
    {
        "Any" => value.Length > 0,
        "Equal" => Values.Any(v => string.Equals(value, v, StringComparison.Ordinal)),
        "Contains" => Values.Any(v => value.Contains(v, StringComparison.Ordinal)),
        "BeginsWith" => Values.Any(v => value.StartsWith(v, StringComparison.Ordinal)),
        "EndsWith" => Values.Any(v => value.EndsWith(v, StringComparison.Ordinal)),
        "RegEx" => Values.Any(v => semantics == RegexSemantics.FullMatch
            ? Regex.IsMatch(value, $"^(?:{v})$", RegexOptions.CultureInvariant)
            : Regex.IsMatch(value, v, RegexOptions.CultureInvariant)),
        _ => throw new InvalidOperationException($"operator {Operator} of {Variable} is not modelled by this check"),
    };

    private string Transform(string value)
    {
        foreach (var transform in Transforms)
        {
            value = transform switch
            {
                "Lowercase" => value.ToLowerInvariant(),
                "Uppercase" => value.ToUpperInvariant(),
                "Trim" => value.Trim(),
                "UrlDecode" => Uri.UnescapeDataString(value),
                _ => throw new InvalidOperationException($"transform {transform} is not modelled by this check"),
            };
        }

        return value;
    }
}
