using System.Globalization;

namespace PachBench;

/// <summary>CPU time (user + system) a process has used so far, from /proc/&lt;pid&gt;/stat.</summary>
internal static class CpuTime
{
    // Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel configuration.
    internal const double TicksPerSecond = 100.0;

    /// <summary>Seconds of CPU used by <paramref name="pid"/>, or null when /proc is unavailable.</summary>
    public static double? Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may contain spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state); utime is field 14 and stime field 15.
            var user = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var system = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (user + system) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
