using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Gateway.Benchmarks.AllocBench;

/// <summary>
/// The gateway's allocations while some requests run, sampled by the runtime: one GCAllocationTick event per ~100 KB
/// allocated, with the type of the object that crossed the threshold, the amount since the previous event, and the
/// stack (an EventPipe session on the gateway's process, written to a .nettrace file and read back with TraceLog so
/// the managed frames have names). The amounts add up to about what the process allocated, so the tables say bytes
/// per request: by type, by nearest gateway/LocalPachd frame, and by type + allocating method + nearest such frame.
/// </summary>
internal sealed class AllocationTrace
{
    private readonly Dictionary<string, long> _byType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byOwnFrame = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _bySite = new(StringComparer.Ordinal);
    private long _total;
    private int _samples;

    /// <summary>Runs <paramref name="work"/> under an allocation-sampling session on process <paramref name="pid"/>.</summary>
    public static async Task<AllocationTrace> CollectAsync(int pid, string path, Func<Task> work)
    {
        var client = new DiagnosticsClient(pid);
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.Jit | ClrTraceEventParser.Keywords.Loader)),
        };
        using (var session = client.StartEventPipeSession(providers, requestRundown: true, circularBufferMB: 256))
        {
            await using var file = File.Create(path);
            var copy = session.EventStream.CopyToAsync(file);
            await work();
            await session.StopAsync(CancellationToken.None);
            await copy;
        }

        var trace = new AllocationTrace();
        var etlx = TraceLog.CreateFromEventPipeDataFile(path);
        using (var log = new TraceLog(etlx))
        {
            var source = log.Events.GetSource();
            source.Clr.GCAllocationTick += trace.Add;
            source.Process();
        }

        File.Delete(etlx);
        File.Delete(path);
        return trace;
    }

    /// <summary>Markdown tables of the <paramref name="top"/> rows of each grouping, in bytes per request.</summary>
    public string Report(string title, int requests, int top)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### {title}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{_samples:N0} samples, {_total / (double)requests / 1024:N1} KB per request sampled");
        Table(text, "type", _byType, requests, top);
        Table(text, "nearest gateway / LocalPachd frame", _byOwnFrame, requests, top);
        Table(text, "type ← allocating method ← nearest gateway / LocalPachd frame", _bySite, requests, top);
        return text.ToString();
    }

    private static void Table(StringBuilder text, string heading, Dictionary<string, long> groups, int requests, int top)
    {
        var total = groups.Values.Sum();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| {heading} | bytes / request | share |");
        text.AppendLine("|---|---:|---:|");
        foreach (var (name, bytes) in groups.OrderByDescending(g => g.Value).Take(top))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name.Replace("|", "\\|", StringComparison.Ordinal)} | {bytes / requests:N0} | {100.0 * bytes / total:F1}% |");
        }
    }

    private void Add(GCAllocationTickTraceData data)
    {
        var amount = data.AllocationAmount64;
        var type = string.IsNullOrEmpty(data.TypeName) ? "?" : data.TypeName;
        string? allocating = null;
        string? own = null;
        for (var frame = data.CallStack(); frame is not null; frame = frame.Caller)
        {
            var name = frame.CodeAddress.FullMethodName;
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            allocating ??= Short(name);
            if (name.StartsWith("Gateway.", StringComparison.Ordinal) || name.StartsWith("LocalPachd.", StringComparison.Ordinal))
            {
                own = Short(name);
                break;
            }
        }

        own ??= "(none: " + (allocating ?? "no managed frame") + ")";
        _samples++;
        _total += amount;
        Add(_byType, type, amount);
        Add(_byOwnFrame, own, amount);
        Add(_bySite, $"{type} ← {allocating ?? "?"} ← {own}", amount);
    }

    private static void Add(Dictionary<string, long> groups, string key, long amount) =>
        groups[key] = groups.GetValueOrDefault(key) + amount;

    /// <summary>The method without its parameter list.</summary>
    private static string Short(string name) => name.IndexOf('(', StringComparison.Ordinal) is var paren and > 0 ? name[..paren] : name;
}
