using System.Globalization;

namespace PachBench;

/// <summary>
/// Samples a process's resident set (VmRSS in /proc/&lt;pid&gt;/status) every 50 ms and keeps the peak. At start it
/// resets the kernel's high-water mark (writing 5 to clear_refs) so VmHWM then covers this phase only.
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakKiB;

    private RssSampler(int pid)
    {
        _pid = pid;
        HwmReset = TryResetHighWaterMark(pid);
        _peakKiB = Read(pid, "VmRSS:") ?? 0;
        StartMiB = _peakKiB / 1024.0;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Whether VmHWM was reset for this phase (otherwise it is the process lifetime peak).</summary>
    public bool HwmReset { get; }

    /// <summary>VmRSS when sampling began, in MiB.</summary>
    public double StartMiB { get; }

    public static RssSampler Start(int pid) => new(pid);

    /// <summary>Stops sampling; returns the sampled peak and VmHWM, in MiB.</summary>
    public async Task<(double SampledPeakMiB, double HwmMiB)> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        var last = Read(_pid, "VmRSS:") ?? 0;
        var peak = Math.Max(_peakKiB, last);
        var hwm = Read(_pid, "VmHWM:") ?? 0;
        return (peak / 1024.0, hwm / 1024.0);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _loop;
        }
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var rss = Read(_pid, "VmRSS:");
                if (rss is { } value && value > _peakKiB)
                {
                    _peakKiB = value;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the caller reads the final figures.
        }
    }

    private static bool TryResetHighWaterMark(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? Read(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var digits = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(digits, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended or /proc is unavailable: no sample.
        }
        return null;
    }
}
