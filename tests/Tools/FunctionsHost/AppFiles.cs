using System.Text.Json;

namespace FunctionsHost;

/// <summary>What the host reads from the function app directory itself: worker.config.json and host.json.</summary>
internal sealed class AppFiles
{
    /// <summary>The route prefix when host.json sets none.</summary>
    public const string DefaultRoutePrefix = "api";

    private static readonly JsonDocumentOptions _jsonOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>The worker's executable (worker.config.json description.defaultExecutablePath; "dotnet").</summary>
    public required string ExecutablePath { get; init; }

    /// <summary>description.arguments: arguments before the worker path.</summary>
    public required IReadOnlyList<string> ExecutableArguments { get; init; }

    /// <summary>The worker assembly, absolute (description.defaultWorkerPath under the app directory).</summary>
    public required string WorkerPath { get; init; }

    /// <summary>description.workerArguments: arguments after the worker path.</summary>
    public required IReadOnlyList<string> WorkerArguments { get; init; }

    /// <summary>host.json extensions.http.routePrefix ("api" when absent).</summary>
    public required string RoutePrefix { get; init; }

    /// <summary>Reads both files.</summary>
    public static AppFiles Read(string appDirectory)
    {
        using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(appDirectory, "worker.config.json")), _jsonOptions);
        var description = Property(worker.RootElement, "description") ?? throw new InvalidOperationException("worker.config.json has no description");
        var executable = Property(description, "defaultExecutablePath")?.GetString() ?? throw new InvalidOperationException("worker.config.json has no defaultExecutablePath");
        var workerPath = Property(description, "defaultWorkerPath")?.GetString() ?? throw new InvalidOperationException("worker.config.json has no defaultWorkerPath");

        var routePrefix = DefaultRoutePrefix;
        var hostJsonPath = Path.Combine(appDirectory, "host.json");
        if (File.Exists(hostJsonPath))
        {
            using var host = JsonDocument.Parse(File.ReadAllText(hostJsonPath), _jsonOptions);
            if (Property(host.RootElement, "extensions") is { } extensions && Property(extensions, "http") is { } http &&
                Property(http, "routePrefix") is { ValueKind: JsonValueKind.String } prefix)
            {
                routePrefix = prefix.GetString()!;
            }
        }

        return new AppFiles
        {
            ExecutablePath = executable,
            ExecutableArguments = Strings(Property(description, "arguments")),
            WorkerPath = Path.Combine(appDirectory, workerPath),
            WorkerArguments = Strings(Property(description, "workerArguments")),
            RoutePrefix = routePrefix.Trim('/'),
        };
    }

    /// <summary>A property by case-insensitive name, as the host's JSON readers match them.</summary>
    internal static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string[] Strings(JsonElement? array) => array is { ValueKind: JsonValueKind.Array } a
        ? a.EnumerateArray().Select(e => e.GetString() ?? string.Empty).Where(s => s.Length > 0).ToArray()
        : [];
}
