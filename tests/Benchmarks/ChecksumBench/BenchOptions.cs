using System.Globalization;

namespace ChecksumBench;

/// <summary>Command-line settings.</summary>
internal sealed class BenchOptions
{
    public int TotalMiB { get; private set; } = 1024;
    public int BufferKiB { get; private set; } = 64;
    public int SmallKiB { get; private set; } = 4;
    public int SmallOps { get; private set; } = 65_536;
    public int Repetitions { get; private set; } = 9;
    public int Seed { get; private set; } = 20_251_030;

    public const string Usage = """
        ChecksumBench [--total-mib N] [--buffer-kib N] [--small-kib N] [--small-ops N] [--reps N] [--seed N]
          --total-mib N    data streamed through one hasher per repetition (default 1024)
          --buffer-kib N   size of each Append in the streaming case (default 64)
          --small-kib N    size of each one-shot input in the small case (default 4)
          --small-ops N    one-shot hashes per repetition in the small case (default 65536)
          --reps N         repetitions of every measurement, interleaved between implementations (default 9)
          --seed N         seed of the random data used for verification and timing
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--total-mib": options.TotalMiB = Number(args, ref i); break;
                case "--buffer-kib": options.BufferKiB = Number(args, ref i); break;
                case "--small-kib": options.SmallKiB = Number(args, ref i); break;
                case "--small-ops": options.SmallOps = Number(args, ref i); break;
                case "--reps": options.Repetitions = Number(args, ref i); break;
                case "--seed": options.Seed = Number(args, ref i); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.{Environment.NewLine}{Usage}");
            }
        }

        if (options.TotalMiB < 1 || options.BufferKiB < 1 || options.SmallKiB < 1 || options.SmallOps < 1 || options.Repetitions < 1)
        {
            throw new ArgumentException($"Sizes, counts and repetitions must be at least 1.{Environment.NewLine}{Usage}");
        }

        if ((long)options.TotalMiB * 1024 % options.BufferKiB != 0)
        {
            throw new ArgumentException("--total-mib must be a whole number of --buffer-kib buffers.");
        }

        return options;
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"Option '{args[i - 1]}' needs a value.");

    private static int Number(string[] args, ref int i)
    {
        var text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new ArgumentException($"Option '{args[i - 1]}' needs a non-negative number, not '{text}'.");
    }
}
