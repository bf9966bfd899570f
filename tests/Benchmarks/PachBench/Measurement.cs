using System.Diagnostics;

namespace PachBench;

/// <summary>Time and peak memory of one benchmark phase, for the client and (when separate) the server.</summary>
internal sealed record Measurement(TimeSpan Elapsed, MemoryPeak Client, MemoryPeak? Server)
{
    /// <summary>Runs <paramref name="work"/> while sampling both processes' RSS.</summary>
    public static async Task<(Measurement Measurement, T Result)> RunAsync<T>(int? serverPid, Func<Task<T>> work)
    {
        // Start every phase from a collected heap so a phase's peak is not the previous phase's garbage.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var separateServer = serverPid is { } pid && pid != Environment.ProcessId;
        await using var client = RssSampler.Start(Environment.ProcessId);
        await using var server = separateServer ? RssSampler.Start(serverPid!.Value) : null;
        var clientStart = client.StartMiB;
        var serverStart = server?.StartMiB ?? 0;
        var clientCpu = CpuTime.Seconds(Environment.ProcessId);
        var serverCpu = separateServer ? CpuTime.Seconds(serverPid!.Value) : null;
        var watch = Stopwatch.StartNew();
        var result = await work();
        watch.Stop();
        var clientCpuUsed = CpuTime.Seconds(Environment.ProcessId) - clientCpu;
        var serverCpuUsed = separateServer ? CpuTime.Seconds(serverPid!.Value) - serverCpu : null;
        var (clientPeak, clientHwm) = await client.StopAsync();
        MemoryPeak? serverPeak = null;
        if (server is not null)
        {
            var (peak, hwm) = await server.StopAsync();
            serverPeak = new MemoryPeak(serverStart, peak, hwm, server.HwmReset, serverCpuUsed);
        }
        return (new Measurement(watch.Elapsed, new MemoryPeak(clientStart, clientPeak, clientHwm, client.HwmReset, clientCpuUsed), serverPeak), result);
    }
}

/// <summary>
/// RSS at the start of a phase, the sampled peak during it, and the kernel's high-water mark, in MiB; and the CPU
/// seconds the process used during the phase (which side is the bottleneck).
/// </summary>
internal sealed record MemoryPeak(double StartMiB, double SampledPeakMiB, double HwmMiB, bool HwmIsPerPhase, double? CpuSeconds)
{
    public string Memory => FormattableString.Invariant($"{StartMiB:0} → {SampledPeakMiB:0} (HWM {HwmMiB:0}{(HwmIsPerPhase ? string.Empty : ", lifetime")})");

    public string Cpu => CpuSeconds is { } cpu ? FormattableString.Invariant($"{cpu:0.00}") : "n/a";
}
