using System.Globalization;

namespace PachBench;

/// <summary>Command-line settings.</summary>
internal sealed class BenchOptions
{
    public int SizeMiB { get; private set; } = 1024;
    public int SmallCommits { get; private set; } = 500;
    public int Files { get; private set; } = 100_000;
    public int ExtraCommits { get; private set; } = 1_000;
    public bool InProcess { get; private set; }
    public bool CompareWrap { get; private set; } = true;
    public string? Address { get; private set; }

    public const string Usage = """
        PachBench [--size-mib N] [--small-commits N] [--files N] [--extra-commits N] [--in-process] [--no-wrap-compare] [--address host:port]
          --size-mib N        size of the big file for PutFile/GetFile (default 1024)
          --small-commits N   4 KiB PutFile calls, one commit each (default 500)
          --files N           files in the listing tree, 100 directories (default 100000)
          --extra-commits N   small commits made before the second listing (default 1000)
          --in-process        host LocalPachd in this process (RSS then covers client and server together)
          --no-wrap-compare   skip the extra upload that wraps the pooled buffer instead of copying it
          --address A         benchmark an already running pachd instead of starting LocalPachd
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--size-mib": options.SizeMiB = Number(args, ref i); break;
                case "--small-commits": options.SmallCommits = Number(args, ref i); break;
                case "--files": options.Files = Number(args, ref i); break;
                case "--extra-commits": options.ExtraCommits = Number(args, ref i); break;
                case "--in-process": options.InProcess = true; break;
                case "--no-wrap-compare": options.CompareWrap = false; break;
                case "--address": options.Address = Value(args, ref i); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.{Environment.NewLine}{Usage}");
            }
        }
        if (options.Files < 100 || options.Files % 100 != 0)
        {
            throw new ArgumentException("--files must be a positive multiple of 100 (100 directories).");
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
