using System.Globalization;

namespace LocalPachd.Hosting;

/// <summary>
/// LocalPachd's settings as a process: environment variables first, then command-line arguments, which win.
/// </summary>
internal static class CommandLine
{
    public const string Usage =
        "usage: LocalPachd [--data DIR] [--port PORT] [--bind ADDRESS] [--synchronous full|normal] [--chunk-size BYTES] [--verbose]";

    /// <summary>The options the environment and arguments describe, or null when an argument is not understood.</summary>
    public static LocalPachdOptions? Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new LocalPachdOptions();
        if (environment("LOCALPACHD_DATA") is { Length: > 0 } data)
        {
            options.DataDirectory = data;
        }

        if (environment("LOCALPACHD_PORT") is { Length: > 0 } port && !TryPort(port, options))
        {
            return null;
        }

        if (environment("LOCALPACHD_SYNCHRONOUS") is { Length: > 0 } synchronous && !TrySynchronous(synchronous, options))
        {
            return null;
        }

        if (environment("LOCALPACHD_CHUNK_SIZE") is { Length: > 0 } chunkSize && !TryChunkSize(chunkSize, options))
        {
            return null;
        }

        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--verbose")
            {
                options.MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Information;
                continue;
            }

            if (i + 1 >= args.Count)
            {
                return null;
            }

            var value = args[++i];
            var ok = args[i - 1] switch
            {
                "--data" => Set(() => options.DataDirectory = value),
                "--port" => TryPort(value, options),
                "--bind" => Set(() => options.BindAddress = value),
                "--synchronous" => TrySynchronous(value, options),
                "--chunk-size" => TryChunkSize(value, options),
                _ => false,
            };
            if (!ok)
            {
                return null;
            }
        }

        return options;
    }

    private static bool Set(Action set)
    {
        set();
        return true;
    }

    private static bool TryPort(string value, LocalPachdOptions options)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        options.Port = port;
        return true;
    }

    private static bool TrySynchronous(string value, LocalPachdOptions options)
    {
        switch (value.ToUpperInvariant())
        {
            case "FULL":
                options.Synchronous = MetadataSynchronous.Full;
                return true;
            case "NORMAL":
                options.Synchronous = MetadataSynchronous.Normal;
                return true;
            default:
                return false;
        }
    }

    private static bool TryChunkSize(string value, LocalPachdOptions options)
    {
        // Between 4 KiB and 16 MiB: a chunk is streamed back in messages under pachd's 20 MiB limit.
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 4096 || size > 16 * 1024 * 1024)
        {
            return false;
        }

        options.ChunkSize = size;
        return true;
    }
}
