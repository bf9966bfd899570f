using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;

namespace FunctionsHost;

/// <summary>
/// The host's HTTP routes for the functions: ASP.NET Core's (IRouter) <see cref="Route"/> per HTTP function, with the
/// route prefix, an <see cref="HttpMethodRouteConstraint"/> for its methods, and the function name as template when the
/// route is empty; tried in the host's precedence order (literal segments before parameters, more inline constraints
/// first, then literal text, then longer templates first).
/// </summary>
internal static class FunctionRoutes
{
    /// <summary>The route collection; <paramref name="invoke"/> runs the matched function.</summary>
    public static IRouter Build(IEnumerable<FunctionDescriptor> functions, string routePrefix, IInlineConstraintResolver resolver, Func<HttpContext, FunctionDescriptor, Task> invoke, Action<string>? log = null)
    {
        List<Route> routes = [];
        foreach (var function in functions)
        {
            if (function.HttpTrigger is not { } trigger)
            {
                continue;
            }

            // As the host: an empty route means the function's name (so no function answers at the root).
            var template = string.IsNullOrEmpty(trigger.Route) ? function.Name : trigger.Route;
            if (!string.IsNullOrEmpty(routePrefix))
            {
                template = routePrefix + "/" + template;
            }

            var constraints = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            if (trigger.Methods is { } methods)
            {
                constraints.Add("httpMethod", new HttpMethodRouteConstraint([.. methods]));
            }

            routes.Add(new Route(new RouteHandler(context => invoke(context, function)), function.Name, template, defaults: null, constraints, dataTokens: null, resolver));
            log?.Invoke($"{function.Name}: [{string.Join(',', trigger.Methods ?? ["*"])}] /{template}");
        }

        routes.Sort(Precedence);
        var collection = new RouteCollection();
        foreach (var route in routes)
        {
            collection.Add(route);
        }

        return collection;
    }

    /// <summary>Orders two routes segment by segment, the more specific first.</summary>
    internal static int Precedence(Route x, Route y)
    {
        var a = x.ParsedTemplate.Segments;
        var b = y.ParsedTemplate.Segments;
        for (var i = 0; i < a.Count; i++)
        {
            if (i >= b.Count)
            {
                return -1;
            }

            var p = a[i].Parts[0];
            var q = b[i].Parts[0];
            if (p.IsParameter != q.IsParameter)
            {
                return p.IsParameter ? 1 : -1;
            }

            var order = p.IsParameter
                ? q.InlineConstraints.Count().CompareTo(p.InlineConstraints.Count())
                : string.Compare(p.Text, q.Text, StringComparison.OrdinalIgnoreCase);
            if (order != 0)
            {
                return order;
            }
        }

        return b.Count > a.Count ? 1 : 0;
    }
}
