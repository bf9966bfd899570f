using System.Diagnostics;

namespace ChecksumBench;

/// <summary>The two timed workloads. Both are single-threaded; results feed a sink so nothing is optimized away.</summary>
internal static class Timing
{
    /// <summary>Keeps results observable.</summary>
    public static ulong Sink { get; private set; }

    /// <summary>Seconds to append <paramref name="buffer"/> to one hasher until <paramref name="totalBytes"/> went through.</summary>
    public static double Streaming(Implementation impl, byte[] buffer, long totalBytes)
    {
        var appends = totalBytes / buffer.Length;
        Collect();
        var watch = Stopwatch.StartNew();
        var h = impl.Create();
        for (long i = 0; i < appends; i++)
        {
            h.Append(buffer);
        }

        Sink += impl.Current(h);
        watch.Stop();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Seconds for <paramref name="ops"/> one-shot CRCs of <paramref name="size"/>-byte inputs cycling through <paramref name="pool"/>.</summary>
    public static double OneShots(Implementation impl, byte[] pool, int size, int ops)
    {
        var inputs = pool.Length / size;
        Collect();
        var watch = Stopwatch.StartNew();
        var sink = 0UL;
        for (var i = 0; i < ops; i++)
        {
            sink ^= impl.Hash(pool.AsSpan(i % inputs * size, size));
        }

        watch.Stop();
        Sink += sink;
        return watch.Elapsed.TotalSeconds;
    }

    private static void Collect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
}

/// <summary>Repeated measurements of one quantity (higher is better).</summary>
internal sealed class Series
{
    private readonly List<double> _values = [];

    public IReadOnlyList<double> Values => _values;

    public double Median => MedianOf(_values);

    public double Min => _values.Min();

    public double Max => _values.Max();

    /// <summary>(max − min) / median: how far apart the repetitions landed.</summary>
    public double Spread => (Max - Min) / Median;

    public void Add(double value) => _values.Add(value);

    /// <summary>Two-sided sign-test p-value of <paramref name="wins"/> out of <paramref name="n"/> paired comparisons.</summary>
    public static double SignTestP(int wins, int n)
    {
        var tail = Math.Min(wins, n - wins);
        var probability = 0.0;
        for (var k = 0; k <= tail; k++)
        {
            probability += Binomial(n, k);
        }

        return Math.Min(1.0, 2 * probability / Math.Pow(2, n));
    }

    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double Binomial(int n, int k)
    {
        var result = 1.0;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }
}
