using System.Globalization;

namespace Gateway.Benchmarks.S3Bench;

/// <summary>
/// Samples the resident memory of a server process and all its descendants (VmRSS in /proc/&lt;pid&gt;/status, summed)
/// every 50 ms for the server's whole life; the descendants are looked up again every second (a Python or node peer
/// may fork, the Functions host emulator starts the worker). <see cref="BeginPhase"/> and <see cref="EndPhase"/>
/// give the peak of one phase.
/// </summary>
internal sealed class TreeRssSampler : IAsyncDisposable
{
    private static readonly TimeSpan _interval = TimeSpan.FromMilliseconds(50);
    private const int _ticksPerTreeScan = 20;
    private readonly int _root;
    private readonly bool _withChildren;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private int[] _tree;
    private double _phasePeakMiB;
    private double _lifetimePeakMiB;

    private TreeRssSampler(int root, bool withChildren)
    {
        _root = root;
        _withChildren = withChildren;
        _tree = withChildren ? Descendants(root) : [root];
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The processes of the tree at the last scan.</summary>
    public int ProcessCount => Volatile.Read(ref _tree).Length;

    /// <summary>The highest sum seen since the sampler started, in MiB.</summary>
    public double LifetimePeakMiB
    {
        get
        {
            lock (_gate)
            {
                return _lifetimePeakMiB;
            }
        }
    }

    /// <summary>Samples <paramref name="root"/> and (unless <paramref name="withChildren"/> is false) its descendants.</summary>
    public static TreeRssSampler Start(int root, bool withChildren = true) => new(root, withChildren);

    /// <summary>Resident memory of the whole tree now, in MiB.</summary>
    public double CurrentMiB() => Volatile.Read(ref _tree).Sum(pid => ReadKiB(pid) ?? 0) / 1024.0;

    /// <summary>Starts a phase: its peak begins at the memory now.</summary>
    public void BeginPhase()
    {
        var now = CurrentMiB();
        lock (_gate)
        {
            _phasePeakMiB = now;
        }
    }

    /// <summary>Ends a phase: the peak during it and the memory at its end, in MiB.</summary>
    public (double PeakMiB, double EndMiB) EndPhase()
    {
        var now = CurrentMiB();
        lock (_gate)
        {
            return (Math.Max(_phasePeakMiB, now), now);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        var ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (_withChildren && ++ticks % _ticksPerTreeScan == 0)
                {
                    Volatile.Write(ref _tree, Descendants(_root));
                }

                var now = CurrentMiB();
                lock (_gate)
                {
                    _phasePeakMiB = Math.Max(_phasePeakMiB, now);
                    _lifetimePeakMiB = Math.Max(_lifetimePeakMiB, now);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the server.
        }
    }

    /// <summary><paramref name="root"/> and every process below it, from the parent ids in /proc/*/stat.</summary>
    private static int[] Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ParentOf(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return [.. tree];
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // After the command name (in parentheses, may hold spaces): state, then the parent id.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static long? ReadKiB(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended: no sample.
        }

        return null;
    }
}
