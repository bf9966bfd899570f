using System.Text.Json;
using FunctionsHost;
using FunctionsHost.Rpc;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Deployment.Tests.Support;

/// <summary>
/// Which function the Functions host runs for a request, given the app's enabled functions: the package's
/// functions.metadata read as the host reads it (FunctionDescriptor), routed with the Functions host emulator's
/// <see cref="FunctionRoutes"/> (the host's IRouter routes and precedence; disabled functions get no route).
/// </summary>
internal sealed class HostRouting
{
    /// <summary>What the host answers when no function matches "/": its homepage, not a function.</summary>
    public const string Homepage = "(host homepage)";

    private const string _functionItem = "function";
    private static readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddRouting().BuildServiceProvider();

    private readonly IRouter _router;

    private HostRouting(IRouter router) => _router = router;

    /// <summary>The package's functions, as functions.metadata declares them.</summary>
    public static IReadOnlyList<FunctionDescriptor> PackageFunctions(string appDirectory)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(appDirectory, "functions.metadata")));
        return document.RootElement.EnumerateArray().Select(function =>
        {
            var metadata = new RpcFunctionMetadata { Name = function.GetProperty("name").GetString()! };
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                metadata.RawBindings.Add(binding.GetRawText());
            }

            return FunctionDescriptor.From(metadata);
        }).ToList();
    }

    /// <summary>The routes of an app in <paramref name="appDirectory"/> that runs <paramref name="enabled"/>.</summary>
    public static HostRouting For(string appDirectory, IEnumerable<FunctionDescriptor> enabled) =>
        new(FunctionRoutes.Build(
            enabled,
            AppFiles.Read(appDirectory).RoutePrefix,
            _services.GetRequiredService<IInlineConstraintResolver>(),
            (context, function) =>
            {
                context.Items[_functionItem] = function.Name;
                return Task.CompletedTask;
            }));

    /// <summary>
    /// The function for <paramref name="method"/> on <paramref name="path"/> (the path the host routes on: decoded,
    /// without the query); <see cref="Homepage"/> for "/" when none matches; null when the host answers 404.
    /// </summary>
    public async Task<string?> PickAsync(string method, string path)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = method;
        context.Request.Path = new PathString(path);
        var routeContext = new RouteContext(context);
        await _router.RouteAsync(routeContext);
        if (routeContext.Handler is { } handler)
        {
            await handler(context);
            return (string?)context.Items[_functionItem];
        }

        return path == "/" ? Homepage : null;
    }
}
