using System.Globalization;

namespace Gateway.Benchmarks.AllocBench;

/// <summary>Reads the gateway's Prometheus scrape (<c>/~/metrics</c>).</summary>
internal sealed class GatewayMetrics(HttpClient http)
{
    private const string _allocated = "dotnet_gc_heap_total_allocated_bytes";

    /// <summary>Bytes allocated on the managed heap since the gateway started (the System.Runtime meter).</summary>
    public async Task<long> AllocatedBytesAsync()
    {
        var text = await http.GetStringAsync(new Uri("/~/metrics", UriKind.Relative));
        foreach (var line in text.Split('\n'))
        {
            // "dotnet_gc_heap_total_allocated_bytes_total{...} 123456 1700000000000" (labels and timestamp optional)
            if (line.StartsWith(_allocated, StringComparison.Ordinal))
            {
                var value = line[(line.IndexOf('}', StringComparison.Ordinal) is var brace and >= 0 ? brace + 1 : line.IndexOf(' ', StringComparison.Ordinal))..]
                    .Trim().Split(' ')[0];
                return (long)double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{_allocated} not found in /~/metrics:\n{text}");
    }
}
