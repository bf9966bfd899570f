using System.Globalization;
using CsCheck;

namespace Gateway.Core.Tests.Fuzz;

/// <summary>
/// The bound on every property in this folder. CI runs each for the iteration count it names (the whole folder takes a
/// few seconds). FUZZ_ITERATIONS=n runs each n times instead, FUZZ_SECONDS=s each for s seconds, for a longer fuzz. A
/// failure prints CsCheck's seed; CsCheck_Seed=that seed replays the shrunk case.
/// </summary>
internal static class FuzzBudget
{
    public static void Sample<T>(this Gen<T> gen, long iterations, Action<T> property, Func<T, string>? print = null) =>
        gen.Sample(property, iter: Iterations(iterations), time: Seconds(), print: print);

    private static long Iterations(long ci) =>
        long.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : ci;

    private static int Seconds() =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : -1;
}
