using System.Text.RegularExpressions;
using FunctionsHost;

namespace Gateway.Deployment.Tests.Support;

/// <summary>
/// Sends a generated set of S3 requests through the per-group deployment as predicted: Front Door's rules pick an
/// origin group, hence an app; the Functions host of that app routes the request among the app's enabled functions.
/// The same requests go through a single app with every function enabled, for comparison.
/// </summary>
/// <remarks>
/// Two things the documentation leaves open are tried both ways, and a request counts once per combination:
/// whether Front Door's UrlPath condition sees the path percent-decoded or as sent, whether its RegEx operator must
/// match the whole value or just somewhere in it; and whether the host routes on a path with %2F decoded (as the
/// Azure front end is reported to do) or kept (as Kestrel does). A bucket segment holding %2F (never a valid bucket
/// name) is left out: whether it names a bucket or a bucket and key depends on those open questions, so per-group
/// routing may give it the host's bare 404 instead of InvalidBucketName.
/// </remarks>
internal sealed partial class RouteCheck
{
    /// <summary>Every method S3 clients send, and two the gateway answers with S3 errors.</summary>
    public static readonly string[] Methods = ["GET", "HEAD", "PUT", "DELETE", "POST", "OPTIONS", "PATCH"];

    /// <summary>Raw paths, as clients send them (percent-encoded).</summary>
    public static readonly string[] Paths =
    [
        "/",
        "/bucket",
        "/bucket/",
        "/bucket/key",
        "/bucket/a/b/c",
        "/bucket/key%20with%20space",
        "/bucket/dir/",
        "/bucket/a%2Fb",
        "/master.images.project/photo%20%281%29.jpg",
    ];

    /// <summary>Query strings of S3 operations (neither Front Door's rules nor the host's routes look at them).</summary>
    public static readonly string[] Queries = ["", "?delete", "?uploads", "?list-type=2", "?uploadId=7&partNumber=1", "?versionId=abc"];

    private RouteCheck(IReadOnlyList<RoutedRequest> requests, IReadOnlyDictionary<string, IReadOnlySet<string>> enabled, IReadOnlySet<string> reachedInSingleApp)
    {
        Requests = requests;
        EnabledFunctions = enabled;
        ReachedInSingleApp = reachedInSingleApp;
    }

    /// <summary>Every request in every combination of the open questions.</summary>
    public IReadOnlyList<RoutedRequest> Requests { get; }

    /// <summary>App name → its enabled functions.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> EnabledFunctions { get; }

    /// <summary>The functions a single app with every function enabled runs for some request.</summary>
    public IReadOnlySet<string> ReachedInSingleApp { get; }

    public static async Task<RouteCheck> RunAsync(DeploymentSnapshot perGroup, string appDirectory)
    {
        var functions = HostRouting.PackageFunctions(appDirectory);
        var frontDoor = FrontDoorRouting.From(perGroup);
        var enabled = perGroup.Apps.Values.ToDictionary(
            app => app.Name,
            app => (IReadOnlySet<string>)functions.Select(f => f.Name).Where(n => !app.DisabledFunctions.Contains(n)).ToHashSet(StringComparer.Ordinal),
            StringComparer.OrdinalIgnoreCase);
        var appRouting = enabled.ToDictionary(
            e => e.Key,
            e => HostRouting.For(appDirectory, functions.Where(f => e.Value.Contains(f.Name))),
            StringComparer.OrdinalIgnoreCase);
        var single = HostRouting.For(appDirectory, functions);

        var requests = new List<RoutedRequest>();
        var reachedInSingleApp = new HashSet<string>(StringComparer.Ordinal);
        foreach (var method in Methods)
        {
            foreach (var path in Paths)
            {
                foreach (var query in Queries)
                {
                    foreach (var frontDoorPath in new[] { path[1..], Uri.UnescapeDataString(path)[1..] })
                    {
                        foreach (var semantics in Enum.GetValues<RegexSemantics>())
                        {
                            var originGroup = frontDoor.Pick(method, frontDoorPath, semantics);
                            var app = frontDoor.OriginGroupApps.GetValueOrDefault(originGroup);
                            foreach (var hostPath in new[] { DecodeKeepingSlashes(path), Uri.UnescapeDataString(path) })
                            {
                                var expected = await single.PickAsync(method, hostPath);
                                if (expected is not null)
                                {
                                    reachedInSingleApp.Add(expected);
                                }

                                var actual = app is null ? null : await appRouting[app].PickAsync(method, hostPath);
                                requests.Add(new RoutedRequest(method, path + query, frontDoorPath, semantics, hostPath, originGroup, app, actual, expected));
                            }
                        }
                    }
                }
            }
        }

        return new RouteCheck(requests, enabled, reachedInSingleApp);
    }

    // Kestrel decodes the path but keeps %2F, so that a decoded path still splits into the segments the client sent.
    private static string DecodeKeepingSlashes(string path) =>
        string.Join("%2F", EncodedSlash().Split(path).Select(Uri.UnescapeDataString));

    [GeneratedRegex("%2[Ff]")]
    private static partial Regex EncodedSlash();
}

/// <summary>One request through the per-group deployment, and what a single app would do with it.</summary>
internal sealed record RoutedRequest(
    string Method,
    string Target,
    string FrontDoorPath,
    RegexSemantics Semantics,
    string HostPath,
    string OriginGroup,
    string? App,
    string? Function,
    string? SingleAppFunction)
{
    public override string ToString() =>
        $"{Method} {Target} (Front Door path '{FrontDoorPath}', {Semantics}; host path '{HostPath}') -> {OriginGroup} -> {App ?? "(no app)"} -> {Function ?? "404"}; single app: {SingleAppFunction ?? "404"}";
}
