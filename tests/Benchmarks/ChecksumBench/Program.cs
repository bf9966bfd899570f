using System.Globalization;
using System.IO.Hashing;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ChecksumBench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var invariant = CultureInfo.InvariantCulture;
var library = typeof(Crc64ParameterSet).Assembly;
var libraryVersion = library.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? library.GetName().Version?.ToString() ?? "?";
Console.WriteLine($"# ChecksumBench {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", invariant)}");
Console.WriteLine();
Console.WriteLine($"- command: `{string.Join(' ', ["ChecksumBench", .. args])}`");
Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}{Cpu()}");
Console.WriteLine($"- ISA: SSE4.2/x64 {Sse42.X64.IsSupported}, PCLMULQDQ {Pclmulqdq.IsSupported}, AVX2 {Avx2.IsSupported}, AVX-512F {Avx512F.IsSupported}, Vector512 accelerated {Vector512.IsHardwareAccelerated}; Arm64 CRC32 {System.Runtime.Intrinsics.Arm.Crc32.Arm64.IsSupported}, PMULL {System.Runtime.Intrinsics.Arm.Aes.IsSupported}");
Console.WriteLine($"- System.IO.Hashing {libraryVersion} ({Path.GetFileName(Path.GetDirectoryName(library.Location))}), tiered compilation {(AppContext.TryGetSwitch("System.Runtime.TieredCompilation", out var tc) && !tc ? "off" : "on")}");
Console.WriteLine($"- load average at start: {LoadAverage()}");

var (comparisons, failures) = Verification.Run(options.Seed);
if (failures.Count > 0)
{
    Console.WriteLine($"- verification FAILED: {failures.Count} of {comparisons} comparisons differ; nothing timed.");
    foreach (var failure in failures.Take(20))
    {
        Console.WriteLine($"  - {failure}");
    }

    return 1;
}

Console.WriteLine($"- verification: library == hand-written in all {comparisons} comparisons (check values; lengths 0–9, 15–17, 31–33, 63–65, 127–129, 255–257, 4096, 4096+3, 64 KiB+5, 1 MiB+7 and 300 random lengths < 100 000 at random alignments; one-shot and in random pieces; S3ChecksumHasher big-endian base64)");

var rng = new Random(options.Seed);
var buffer = new byte[options.BufferKiB * 1024];
rng.NextBytes(buffer);
var smallSize = options.SmallKiB * 1024;
var smallPool = new byte[smallSize * 64];
rng.NextBytes(smallPool);
var totalBytes = (long)options.TotalMiB * 1024 * 1024;

// Warm-up: enough calls, with pauses, for tiered compilation to move every hot method to its optimized tier.
for (var round = 0; round < 3; round++)
{
    foreach (var algorithm in Algorithm.All)
    {
        foreach (var impl in new[] { algorithm.HandWritten, algorithm.Library })
        {
            Timing.Streaming(impl, buffer, Math.Min(totalBytes, 64L << 20));
            Timing.OneShots(impl, smallPool, smallSize, Math.Min(options.SmallOps, 8192));
        }
    }

    Thread.Sleep(250);
}

var results = Algorithm.All.ToDictionary(a => a, _ => new Dictionary<(string Workload, string Impl), Series>());
string[] workloads = ["stream", "small"];
for (var rep = 0; rep < options.Repetitions; rep++)
{
    foreach (var algorithm in Algorithm.All)
    {
        // Alternate which implementation goes first, so drift in machine load does not favour one of them.
        var order = rep % 2 == 0 ? new[] { algorithm.HandWritten, algorithm.Library } : [algorithm.Library, algorithm.HandWritten];
        foreach (var workload in workloads)
        {
            foreach (var impl in order)
            {
                var seconds = workload == "stream"
                    ? Timing.Streaming(impl, buffer, totalBytes)
                    : Timing.OneShots(impl, smallPool, smallSize, options.SmallOps);
                var rate = workload == "stream" ? options.TotalMiB / seconds : options.SmallOps / seconds;
                var series = results[algorithm].TryGetValue((workload, impl.Name), out var s) ? s : results[algorithm][(workload, impl.Name)] = new Series();
                series.Add(rate);
            }
        }
    }
}

Console.WriteLine($"- load average at end: {LoadAverage()}");
Console.WriteLine($"- {options.Repetitions} repetitions, interleaved; figures are median (min–max); ratio = library ÷ hand-written, higher is better for the library");
Console.WriteLine("- per-rep ratio: library ÷ hand-written of the two runs made back to back in one repetition; spread: (max − min) ÷ median over the repetitions, i.e. the machine's noise");
Console.WriteLine("- verdict: two-sided sign test over the per-rep ratios; \"within noise\" unless p < 0.05 (with 9 reps: faster, or slower, in at least 8)");
Console.WriteLine($"- stream: one hasher, {options.BufferKiB} KiB buffer appended {totalBytes / buffer.Length} times ({options.TotalMiB} MiB), MiB/s");
Console.WriteLine($"- small: {options.SmallOps} one-shot CRCs of {options.SmallKiB} KiB inputs (64 distinct inputs, cycled), ops/s");
Console.WriteLine();
string[] header = ["checksum", "workload", "hand-written", "System.IO.Hashing " + libraryVersion.Split('+')[0], "ratio (of medians)", "per-rep ratio min–max", "spread hand / lib", "verdict"];
Console.WriteLine($"| {string.Join(" | ", header)} |");
Console.WriteLine($"|{string.Join("|", header.Select(_ => "---"))}|");
foreach (var algorithm in Algorithm.All)
{
    foreach (var workload in workloads)
    {
        var hand = results[algorithm][(workload, Algorithm.HandWrittenName)];
        var lib = results[algorithm][(workload, Algorithm.LibraryName)];
        var pairRatios = lib.Values.Zip(hand.Values, (l, h) => l / h).ToArray();
        var wins = pairRatios.Count(r => r > 1);
        var p = Series.SignTestP(wins, pairRatios.Length);
        var verdict = FormattableString.Invariant($"{(p >= 0.05 ? "within noise" : wins * 2 > pairRatios.Length ? "library faster" : "library slower")} (faster in {wins}/{pairRatios.Length} reps, sign test p={p:0.000})");
        var unit = workload == "stream" ? "MiB/s" : "ops/s";
        var label = workload == "stream" ? $"{options.BufferKiB} KiB appends, {options.TotalMiB} MiB" : $"{options.SmallKiB} KiB one-shot";
        string[] row =
        [
            algorithm.Name,
            label,
            Format(hand, unit),
            Format(lib, unit),
            FormattableString.Invariant($"{lib.Median / hand.Median:0.00}×"),
            FormattableString.Invariant($"{pairRatios.Min():0.00}–{pairRatios.Max():0.00}"),
            FormattableString.Invariant($"{hand.Spread * 100:0.0}% / {lib.Spread * 100:0.0}%"),
            verdict,
        ];
        Console.WriteLine($"| {string.Join(" | ", row)} |");
    }
}

Console.WriteLine();
Console.WriteLine($"(sink {Timing.Sink:X16})");
return 0;

static string Format(Series s, string unit) =>
    FormattableString.Invariant($"{s.Median:#,0} ({s.Min:#,0}–{s.Max:#,0}) {unit}");

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string Cpu()
{
    if (!File.Exists("/proc/cpuinfo"))
    {
        return string.Empty;
    }

    var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
    return model is null ? string.Empty : ", " + model.Split(':', 2)[1].Trim();
}
