using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Hosting;

/// <summary>
/// Gives memory back to the system once a burst of work is over: when the process (gateway and embedded LocalPachd)
/// has allocated at least <see cref="GatewayHostOptions.IdleReleaseMinimumBytes"/> since the last release and then
/// allocates next to nothing for <see cref="GatewayHostOptions.IdleReleaseSeconds"/>, it runs one aggressive, compacting
/// collection (which decommits the GC's free regions and its gen0 budget) and, on glibc, <c>malloc_trim</c>.
/// </summary>
/// <remarks>
/// Between bursts the GC keeps what it last needed: the gen0 allocation budget (about 16 MiB on a machine with a 32 MiB
/// L3 cache) stays committed and touched, and freed native heap pages stay in glibc's arenas. A sidecar that served a
/// burst of requests an hour ago has no use for them: after 20,000 small requests the process sat at 168-172 MiB and
/// drops to 140 MiB with this release (docs/BENCHMARKS.md). The cost is one blocking full collection per burst, taken
/// when nothing has run for the idle time; a request arriving during it waits for it (logged at Debug with its
/// duration, a few milliseconds for the gateway's live heap of 10-30 MiB). An idle process does nothing: without new
/// allocation there is no second release.
/// </remarks>
internal sealed partial class IdleMemoryRelease(IOptions<GatewayHostOptions> options, ILogger<IdleMemoryRelease> logger) : BackgroundService
{
    /// <summary>Checks per idle period: the process counts as idle after this many quiet checks in a row.</summary>
    internal const int ChecksPerPeriod = 4;

    private static bool _mallocTrimAvailable = OperatingSystem.IsLinux();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.IdleReleaseSeconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.IdleReleaseSeconds / ChecksPerPeriod));
        var tracker = new IdleTracker(settings.IdleReleaseMinimumBytes, GC.GetTotalAllocatedBytes());
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (tracker.Observe(GC.GetTotalAllocatedBytes()))
            {
                Release();
                tracker.Released(GC.GetTotalAllocatedBytes());
            }
        }
    }

    private void Release()
    {
        var before = Environment.WorkingSet;
        var clock = Stopwatch.StartNew();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (_mallocTrimAvailable)
        {
            try
            {
                _ = MallocTrim(0);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                // Not glibc (musl has no malloc_trim and returns freed pages by itself).
                _mallocTrimAvailable = false;
            }
        }

        LogReleased(logger, before >> 20, Environment.WorkingSet >> 20, clock.Elapsed.TotalMilliseconds);
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "Idle: memory released, working set {Before} -> {After} MiB in {Milliseconds:0.0} ms")]
    private static partial void LogReleased(ILogger logger, long before, long after, double milliseconds);
}

/// <summary>
/// Decides when <see cref="IdleMemoryRelease"/> runs from the process's total allocated bytes, read once per check: after
/// a burst of at least <paramref name="minimumBytes"/> since the last release, followed by
/// <see cref="IdleMemoryRelease.ChecksPerPeriod"/> checks in a row that each saw less than <see cref="QuietBytes"/>.
/// </summary>
internal sealed class IdleTracker(long minimumBytes, long allocated)
{
    /// <summary>Allocation per check that still counts as quiet: timers, the metrics listener, the health probe.</summary>
    internal const long QuietBytes = 256 * 1024;

    private long _releasedAt = allocated;
    private long _previous = allocated;
    private int _quietChecks;

    /// <summary>Records one check; true when memory should be released now.</summary>
    public bool Observe(long allocated)
    {
        _quietChecks = allocated - _previous < QuietBytes ? _quietChecks + 1 : 0;
        _previous = allocated;
        return _quietChecks >= IdleMemoryRelease.ChecksPerPeriod && allocated - _releasedAt >= minimumBytes;
    }

    /// <summary>Records a release; the next needs another burst of the minimum size.</summary>
    public void Released(long allocated)
    {
        _releasedAt = _previous = allocated;
        _quietChecks = 0;
    }
}
