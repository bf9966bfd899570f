using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LocalPachd.Tests;

/// <summary>LocalPachd.dll started with <c>dotnet</c> as a child process, for tests that kill it.</summary>
internal static partial class LocalPachdProcess
{
    [GeneratedRegex(@"^LocalPachd listening on (http://127\.0\.0\.1:\d+) \(data: (.+)\)$")]
    public static partial Regex ListeningLine();

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LocalPachd.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>Starts LocalPachd on an ephemeral port and waits for its listening line.</summary>
    public static async Task<(Process Process, string Address)> StartAsync(string directory, params string[] args)
    {
        var process = Process.Start(StartInfo(["--data", directory, "--port", "0", .. args]))!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var match = ListeningLine().Match(line ?? string.Empty);
            Assert.True(match.Success, line);
            return (process, match.Groups[1].Value);
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }
}
