using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Amazon.S3;

namespace Gateway.Benchmarks.Soak;

/// <summary>What the soak saw: operations and their latencies, failed requests (with when), and violations.</summary>
internal sealed class Ledger
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _latencies = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(double At, string Operation, string Error)> _failures = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentQueue<(double At, string What)> _marks = new();

    /// <summary>Drops the warm-up's latencies and starts the clock of the measured run (failures are kept).</summary>
    public void StartMeasuring()
    {
        _latencies.Clear();
        _clock.Restart();
    }

    public void Done(string operation, TimeSpan latency) =>
        _latencies.GetOrAdd(operation, _ => []).Add(latency.TotalMilliseconds);

    public void Failed(string operation, Exception e) =>
        _failures.Enqueue((_clock.Elapsed.TotalSeconds, operation, e is AmazonS3Exception s3 ? $"{(int)s3.StatusCode} {s3.ErrorCode}" : e.GetType().Name));

    public void Violation(string message) => _violations.Enqueue(message);

    public void Mark(string what) => _marks.Enqueue((_clock.Elapsed.TotalSeconds, what));

    /// <summary>The report; passes with no violation, and no failure at all (or, with a fault, none 10 s after recovery).</summary>
    public (string Text, Dictionary<string, object> Figures, bool Passed) Report(
        TimeSpan elapsed, int clients, int verified, double rssStart, double rssEnd, double rssPeak, bool fault)
    {
        var text = new StringBuilder();
        var ops = _latencies.Sum(l => l.Value.Count);
        text.AppendLine(CultureInfo.InvariantCulture, $"soak: {clients} clients, {elapsed.TotalSeconds:F0} s{(fault ? ", LocalPachd killed and restarted halfway" : string.Empty)}");
        text.AppendLine("| operation | done | ops/s | p50 ms | p99 ms |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (operation, values) in _latencies.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var sorted = values.Order().ToArray();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {operation} | {sorted.Length:N0} | {sorted.Length / elapsed.TotalSeconds:N1} | {Percentile(sorted, 0.5):N1} | {Percentile(sorted, 0.99):N1} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| all | {ops:N0} | {ops / elapsed.TotalSeconds:N1} | | |");
        foreach (var (at, what) in _marks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{at:F1} s: {what}");
        }

        var recovered = _marks.LastOrDefault().At;
        var failures = _failures.ToArray();
        var late = fault ? failures.Count(f => f.At > recovered + 10) : failures.Length;
        text.AppendLine(CultureInfo.InvariantCulture, $"failed requests: {failures.Length}{(fault ? $" ({late} more than 10 s after LocalPachd was back)" : string.Empty)}");
        foreach (var group in failures.GroupBy(f => (f.Operation, f.Error)).OrderByDescending(g => g.Count()).Take(10))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {group.Count(),6} {group.Key.Operation}: {group.Key.Error} (from {group.Min(f => f.At):F1} s to {group.Max(f => f.At):F1} s)");
        }

        var violations = _violations.ToArray();
        text.AppendLine(CultureInfo.InvariantCulture, $"keys verified at the end: {verified}; violations (lost acknowledged writes, wrong content): {violations.Length}");
        foreach (var v in violations.Take(20))
        {
            text.AppendLine("  " + v);
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"gateway RSS: {rssStart:N0} MiB after warm-up, {rssEnd:N0} MiB at the end, peak {rssPeak:N0} MiB");
        var passed = violations.Length == 0 && late == 0;
        text.Append(passed ? "PASSED" : "FAILED");
        var figures = new Dictionary<string, object>
        {
            ["seconds"] = elapsed.TotalSeconds,
            ["clients"] = clients,
            ["fault"] = fault,
            ["operations"] = ops,
            ["opsPerSecond"] = ops / elapsed.TotalSeconds,
            ["failedRequests"] = failures.Length,
            ["failedAfterRecovery"] = late,
            ["violations"] = violations.Length,
            ["keysVerified"] = verified,
            ["rssStartMiB"] = rssStart,
            ["rssEndMiB"] = rssEnd,
            ["rssPeakMiB"] = rssPeak,
            ["passed"] = passed,
        };
        return (text.ToString(), figures, passed);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
