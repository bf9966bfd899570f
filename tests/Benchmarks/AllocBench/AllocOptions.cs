using System.Globalization;

namespace Gateway.Benchmarks.AllocBench;

/// <summary>Command-line settings of AllocBench.</summary>
internal sealed class AllocOptions
{
    public const string Usage = """
        AllocBench [--requests N] [--warmup N] [--ops put,get,head,list,delete] [--trace] [--top N] [--no-access-log]
                   [--gateway path/to/Gateway.Functions.dll]
          --requests N     measured requests per operation (default 2000)
          --warmup N       requests per operation before measuring (default 200)
          --ops LIST       operations, in this order (default: put,get,head,list,delete)
          --trace          run each operation once more under an EventPipe session and print its top allocators
          --top N          rows of each allocator table (default 20)
          --no-access-log  turn the access log line off (Gateway.Access at Warning); on by default, as shipped
          --gateway DLL    the gateway to start (default: the Release build in this repository)
        """;

    public int Requests { get; private set; } = 2000;

    public int Warmup { get; private set; } = 200;

    public IReadOnlyList<string> Ops { get; private set; } = Workload.AllOps;

    public bool Trace { get; private set; }

    public int Top { get; private set; } = 20;

    public bool AccessLog { get; private set; } = true;

    public string? GatewayDll { get; private set; }

    /// <summary>The options, or null (after printing why) when the command line is wrong.</summary>
    public static AllocOptions? Parse(string[] args)
    {
        var options = new AllocOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--requests" when Number(value) is { } n and > 0: options.Requests = n; i++; break;
                case "--warmup" when Number(value) is { } n: options.Warmup = n; i++; break;
                case "--top" when Number(value) is { } n and > 0: options.Top = n; i++; break;
                case "--ops" when value is not null:
                    var ops = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (ops.Length == 0 || ops.Any(op => !Workload.AllOps.Contains(op, StringComparer.Ordinal)))
                    {
                        Console.Error.WriteLine($"--ops takes {string.Join(',', Workload.AllOps)}");
                        return null;
                    }

                    options.Ops = ops;
                    i++;
                    break;
                case "--trace": options.Trace = true; break;
                case "--no-access-log": options.AccessLog = false; break;
                case "--gateway" when value is not null: options.GatewayDll = value; i++; break;
                default:
                    Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.");
                    return null;
            }
        }

        return options;
    }

    private static int? Number(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
