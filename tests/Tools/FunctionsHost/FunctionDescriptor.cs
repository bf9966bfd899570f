using System.Text.Json;
using FunctionsHost.Rpc;

namespace FunctionsHost;

/// <summary>A function as the worker indexed it (FunctionMetadataResponse), with its HTTP trigger when it has one.</summary>
internal sealed class FunctionDescriptor
{
    public required string Name { get; init; }

    public required string FunctionId { get; init; }

    /// <summary>The worker's metadata, as received.</summary>
    public required RpcFunctionMetadata Metadata { get; init; }

    /// <summary>The bindings parsed from the raw binding JSON, by name.</summary>
    public required IReadOnlyDictionary<string, BindingInfo> Bindings { get; init; }

    /// <summary>The httpTrigger binding, or null.</summary>
    public HttpTriggerInfo? HttpTrigger { get; init; }

    /// <summary>Reads a function from the worker's metadata.</summary>
    public static FunctionDescriptor From(RpcFunctionMetadata metadata)
    {
        var bindings = new Dictionary<string, BindingInfo>(StringComparer.OrdinalIgnoreCase);
        HttpTriggerInfo? trigger = null;
        foreach (var raw in metadata.RawBindings)
        {
            using var doc = JsonDocument.Parse(raw);
            var root = doc.RootElement;
            var name = AppFiles.Property(root, "name")?.GetString() ?? string.Empty;
            var type = AppFiles.Property(root, "type")?.GetString() ?? string.Empty;
            var info = new BindingInfo
            {
                Type = type,
                Direction = (AppFiles.Property(root, "direction")?.GetString() ?? "in").ToUpperInvariant() switch
                {
                    "OUT" => BindingInfo.Types.Direction.Out,
                    "INOUT" => BindingInfo.Types.Direction.Inout,
                    _ => BindingInfo.Types.Direction.In,
                },
            };
            if (AppFiles.Property(root, "dataType")?.GetString() is { } dataType && Enum.TryParse<BindingInfo.Types.DataType>(dataType, ignoreCase: true, out var parsed))
            {
                info.DataType = parsed;
            }

            bindings[name] = info;
            if (trigger is null && string.Equals(type, "httpTrigger", StringComparison.OrdinalIgnoreCase))
            {
                trigger = new HttpTriggerInfo
                {
                    BindingName = name,
                    Route = AppFiles.Property(root, "route") is { ValueKind: JsonValueKind.String } route ? route.GetString() : null,
                    Methods = AppFiles.Property(root, "methods") is { ValueKind: JsonValueKind.Array } methods
                        ? methods.EnumerateArray().Select(m => m.GetString() ?? string.Empty).ToArray()
                        : null,
                    AuthLevel = AppFiles.Property(root, "authLevel")?.GetString() ?? "Function",
                };
            }
        }

        return new FunctionDescriptor
        {
            Name = metadata.Name,
            FunctionId = string.IsNullOrEmpty(metadata.FunctionId) ? Guid.NewGuid().ToString() : metadata.FunctionId,
            Metadata = metadata,
            Bindings = bindings,
            HttpTrigger = trigger,
        };
    }

    /// <summary>The FunctionLoadRequest the host builds from the metadata (bindings from the raw JSON, as the host does).</summary>
    public FunctionLoadRequest ToLoadRequest()
    {
        var request = new FunctionLoadRequest
        {
            FunctionId = FunctionId,
            Metadata = new RpcFunctionMetadata
            {
                Name = Name,
                Directory = Metadata.Directory,
                EntryPoint = Metadata.EntryPoint,
                ScriptFile = Metadata.ScriptFile,
                IsProxy = false,
            },
        };
        foreach (var (name, binding) in Bindings)
        {
            request.Metadata.Bindings.Add(name, binding);
        }

        request.Metadata.Properties.Add(Metadata.Properties);
        return request;
    }
}

/// <summary>An httpTrigger binding.</summary>
internal sealed class HttpTriggerInfo
{
    public required string BindingName { get; init; }

    /// <summary>The route template as written (null or empty: the host uses the function name).</summary>
    public string? Route { get; init; }

    /// <summary>The methods (null: any).</summary>
    public IReadOnlyList<string>? Methods { get; init; }

    public required string AuthLevel { get; init; }
}
