using System.Globalization;

namespace Gateway.Benchmarks.S3Bench;

/// <summary>Command-line settings.</summary>
internal sealed class BenchOptions
{
    public static readonly string[] AllTargets = ["gateway", "functions", "grpc", "moto", "s3rver"];

    public int SizeMiB { get; private set; } = 1024;

    public int SmallOps { get; private set; } = 20_000;

    public int Keys { get; private set; } = 100_000;

    public IReadOnlyList<string> Targets { get; private set; } = AllTargets;

    public IReadOnlySet<string> SkippedPeers { get; private set; } = new HashSet<string>(StringComparer.Ordinal);

    public string? Json { get; private set; }

    public string? Svg { get; private set; }

    public bool Quick { get; private set; }

    public const string Usage = """
        S3Bench [--size-mib N] [--small-ops N] [--keys N] [--targets gateway,functions,grpc,moto,s3rver]
                [--skip-peer NAME]... [--json out.json] [--svg out.svg] [--quick]
          --size-mib N     size of the single-stream PUT/GET object and of the multipart upload (default 1024)
          --small-ops N    4 KiB requests in all, split evenly over PUT/GET/HEAD at c=1 and c=16 (default 20000)
          --keys N         keys in the ListObjectsV2 bucket (default 100000)
          --targets LIST   which targets to run, in this order (default: all five)
          --skip-peer NAME leave out peer NAME (moto or s3rver); the table says so and the run may still pass
          --json FILE      write every raw figure as JSON
          --svg FILE       draw throughput by target as an SVG bar chart
          --quick          smoke run: 64 MiB, 2000 small requests, 5000 keys (explicit options still win)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        int? size = null, ops = null, keys = null;
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--size-mib": size = Number(args, ref i); break;
                case "--small-ops": ops = Number(args, ref i); break;
                case "--keys": keys = Number(args, ref i); break;
                case "--targets": options.Targets = Names(Value(args, ref i), AllTargets); break;
                case "--skip-peer": skipped.UnionWith(Names(Value(args, ref i), ["moto", "s3rver"])); break;
                case "--json": options.Json = Value(args, ref i); break;
                case "--svg": options.Svg = Value(args, ref i); break;
                case "--quick": options.Quick = true; break;
                case "--help" or "-h": throw new ArgumentException(Usage);
                default: throw new ArgumentException($"Unknown option '{args[i]}'.{Environment.NewLine}{Usage}");
            }
        }

        options.SizeMiB = size ?? (options.Quick ? 64 : 1024);
        options.SmallOps = ops ?? (options.Quick ? 2_000 : 20_000);
        options.Keys = keys ?? (options.Quick ? 5_000 : 100_000);
        options.SkippedPeers = skipped;
        if (options.SizeMiB < 16 || options.SmallOps < 6 || options.Keys < 1)
        {
            throw new ArgumentException("--size-mib must be at least 16 (one multipart part), --small-ops at least 6, --keys at least 1.");
        }

        return options;
    }

    private static string[] Names(string list, string[] allowed)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException($"'{name}' is not one of {string.Join(", ", allowed)}.");
            }
        }

        return names;
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"Option '{args[i - 1]}' needs a value.");

    private static int Number(string[] args, ref int i)
    {
        var text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"Option '{args[i - 1]}' needs a non-negative number, not '{text}'.");
    }
}
