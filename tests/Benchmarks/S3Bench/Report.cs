using System.Globalization;
using System.Text;

namespace Gateway.Benchmarks.S3Bench;

/// <summary>
/// The results as a Markdown table: a row per figure, a column per target, the ratios gateway / best peer and
/// functions / gateway, and the issue's targets with pass or fail. Ratios of times and memory are better below 1,
/// ratios of rates above 1.
/// </summary>
internal sealed class Report(BenchOptions options, IReadOnlyList<TargetResult> results)
{
    private const double _rssLimitMiB = 150;

    /// <summary>The issue's targets, checked against the figures (null pass: a figure is missing).</summary>
    public IReadOnlyList<Check> Checks { get; } = BuildChecks(results);

    public string Table()
    {
        var text = new StringBuilder();
        string[] header = ["workload", .. results.Select(r => r.Name), "gateway / best peer", "functions / gateway", "target: pass/fail"];
        text.AppendLine($"| {string.Join(" | ", header)} |");
        text.AppendLine($"|{string.Join("|", header.Select((_, i) => i == 0 ? "---" : "---:"))}|");
        foreach (var row in Rows(options))
        {
            var cells = new List<string> { row.Label };
            cells.AddRange(results.Select(r => Cell(row, r)));
            cells.Add(Ratio(Value(row, "gateway"), BestPeer(row)));
            cells.Add(Ratio(Value(row, "functions"), Value(row, "gateway")));
            cells.Add(string.Join("; ", Checks.Where(c => c.Row == row.Id).Select(c => $"{c.Rule}: **{c.Verdict}**")));
            text.AppendLine($"| {string.Join(" | ", cells)} |");
        }

        return text.ToString();
    }

    internal static IReadOnlyList<Row> Rows(BenchOptions options)
    {
        var size = options.SizeMiB.ToString(CultureInfo.InvariantCulture);
        List<Row> rows =
        [
            new("cold", "cold start to first response", r => r.ColdStartSeconds, "0.00 s", false),
            new("idle", "RSS after start and warm-up", r => r.IdleRssMiB, "0 MiB", false),
            new("put", $"PUT {size} MiB, single stream", r => r.Put?.MiBPerSecond, "0 MiB/s", true),
            new("get", $"GET {size} MiB, single stream", r => r.Get?.MiBPerSecond, "0 MiB/s", true),
            new("multipart", $"multipart {size} MiB, 16 MiB parts, c=4", r => r.Multipart?.MiBPerSecond, "0 MiB/s", true),
            new("put-rss", $"peak RSS during PUT {size} MiB", r => r.Put?.PeakRssMiB, "0 MiB", false),
            new("get-rss", $"peak RSS during GET {size} MiB", r => r.Get?.PeakRssMiB, "0 MiB", false),
            new("multipart-rss", $"peak RSS during multipart {size} MiB", r => r.Multipart?.PeakRssMiB, "0 MiB", false),
        ];
        foreach (var concurrency in new[] { 1, 16 })
        {
            foreach (var operation in new[] { "PUT", "GET", "HEAD" })
            {
                rows.Add(new($"small-{operation}-{concurrency}", $"4 KiB {operation} c={concurrency.ToString(CultureInfo.InvariantCulture)}", r => r.SmallFor(operation, concurrency)?.OpsPerSecond, "0 ops/s", true,
                    r => r.SmallFor(operation, concurrency) is { } s ? FormattableString.Invariant($"p50 {s.P50Ms:0.0} / p99 {s.P99Ms:0.0} ms") : null));
            }
        }

        var keys = options.Keys.ToString("N0", CultureInfo.InvariantCulture);
        rows.AddRange(
        [
            new("after-small", $"RSS after {(options.SmallOps / 6 * 6).ToString("N0", CultureInfo.InvariantCulture)} small requests", r => r.RssAfterSmallMiB, "0 MiB", false),
            new("after-small-rested", $"RSS {Workloads.RestAfterSmall.TotalSeconds:0} s later, at rest", r => r.RssRestedAfterSmallMiB, "0 MiB", false),
            new("populate", $"populate {keys} keys for the listing", r => r.Listing?.PopulateSeconds, "0.0 s", false,
                r => r.Listing is { } l ? FormattableString.Invariant($"{l.Keys / l.PopulateSeconds:0} keys/s") : null),
            new("listing", $"full ListObjectsV2 of {keys} keys", r => r.Listing?.FullSeconds, "0.00 s", false,
                r => r.Listing is { } l ? FormattableString.Invariant($"{l.Pages} pages") : null),
            new("first-page", "ListObjectsV2 first page (1,000 keys)", r => r.Listing?.FirstPageMs, "0.0 ms", false),
            new("last-page", "ListObjectsV2 last page", r => r.Listing?.LastPageMs, "0.0 ms", false),
            new("listing-rss", "peak RSS during the listing", r => r.Listing?.PeakRssMiB, "0 MiB", false),
        ]);
        return rows;
    }

    private static List<Check> BuildChecks(IReadOnlyList<TargetResult> results)
    {
        var checks = new List<Check>();
        var gateway = results.FirstOrDefault(r => r.Name == "gateway");
        var functions = results.FirstOrDefault(r => r.Name == "functions");
        var peers = results.Where(r => r.IsPeer).ToList();

        void AgainstPeers(string row, string rule, Func<TargetResult, double?> value, bool higherIsBetter, double factor)
        {
            var ours = gateway is null ? null : value(gateway);
            var best = Best(peers.Select(value), higherIsBetter);
            checks.Add(ours is null || best is null
                ? new Check(row, rule, null, ours is null ? "no gateway figure" : "no peer figure")
                : new Check(row, rule, higherIsBetter ? ours >= factor * best : ours <= factor * best,
                    FormattableString.Invariant($"gateway {ours:0.###}, best peer {best:0.###}")));
        }

        void RssLimit(string row, Func<TargetResult, double?> value)
        {
            var ours = gateway is null ? null : value(gateway);
            checks.Add(new Check(row, $"gateway < {_rssLimitMiB:0} MiB", ours is null ? null : ours < _rssLimitMiB,
                ours is null ? "no gateway figure" : FormattableString.Invariant($"gateway {ours:0} MiB")));
        }

        void FunctionsShare(string row, Func<TargetResult, double?> value)
        {
            var standalone = gateway is null ? null : value(gateway);
            var hosted = functions is null ? null : value(functions);
            checks.Add(standalone is null || hosted is null
                ? new Check(row, "functions ≥ 0.8× gateway", null, "no figure for both modes")
                : new Check(row, "functions ≥ 0.8× gateway", hosted >= 0.8 * standalone, FormattableString.Invariant($"{hosted / standalone:0.00}×")));
        }

        AgainstPeers("put", "≥ 1.5× best peer", r => r.Put?.MiBPerSecond, true, 1.5);
        FunctionsShare("put", r => r.Put?.MiBPerSecond);
        AgainstPeers("get", "≥ best peer", r => r.Get?.MiBPerSecond, true, 1);
        FunctionsShare("get", r => r.Get?.MiBPerSecond);
        FunctionsShare("multipart", r => r.Multipart?.MiBPerSecond);
        RssLimit("put-rss", r => r.Put?.PeakRssMiB);
        RssLimit("get-rss", r => r.Get?.PeakRssMiB);
        RssLimit("multipart-rss", r => r.Multipart?.PeakRssMiB);
        AgainstPeers("small-PUT-16", "≥ 2× best peer", r => r.SmallFor("PUT", 16)?.OpsPerSecond, true, 2);
        AgainstPeers("small-GET-16", "≥ 2× best peer", r => r.SmallFor("GET", 16)?.OpsPerSecond, true, 2);
        RssLimit("after-small-rested", r => r.RssRestedAfterSmallMiB);
        AgainstPeers("listing", "≤ ¼ of best peer's time", r => r.Listing?.FullSeconds, false, 0.25);
        return checks;
    }

    private static double? Best(IEnumerable<double?> values, bool higherIsBetter)
    {
        var present = values.OfType<double>().ToList();
        return present.Count == 0 ? null : higherIsBetter ? present.Max() : present.Min();
    }

    private double? Value(Row row, string target) => results.FirstOrDefault(r => r.Name == target) is { } result ? row.Value(result) : null;

    private double? BestPeer(Row row) => Best(results.Where(r => r.IsPeer).Select(row.Value), row.HigherIsBetter);

    private static string Cell(Row row, TargetResult result)
    {
        if (row.Value(result) is not { } value)
        {
            return result.Status switch
            {
                "ok" => "n/a",
                var s when s.StartsWith("skipped", StringComparison.Ordinal) => "skipped",
                var s when s.StartsWith("failed to start", StringComparison.Ordinal) => "did not start",
                _ => "failed",
            };
        }

        var number = value.ToString(row.Format, CultureInfo.InvariantCulture);
        return row.Detail?.Invoke(result) is { } detail ? $"{number} ({detail})" : number;
    }

    private static string Ratio(double? value, double? baseline) =>
        value is { } v && baseline is { } b && b > 0 ? FormattableString.Invariant($"{v / b:0.00}×") : "—";

    /// <summary>One figure of the table: how to read it from a result, how to print it, which way is better.</summary>
    internal sealed record Row(string Id, string Label, Func<TargetResult, double?> Value, string Format, bool HigherIsBetter, Func<TargetResult, string?>? Detail = null);
}

/// <summary>One of the issue's targets for one row (by its id): the rule, whether the gateway meets it (null: no figure), the numbers.</summary>
internal sealed record Check(string Row, string Rule, bool? Pass, string Detail)
{
    public string Verdict => Pass switch
    {
        true => "PASS",
        false => "FAIL",
        null => $"n/a ({Detail})",
    };
}
