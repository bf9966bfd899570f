using System.Diagnostics;
using Gateway.Benchmarks.S3Bench.Stores;

namespace Gateway.Benchmarks.S3Bench.Targets;

/// <summary>
/// One running server under test: its process (with its children, for memory), the store the workloads drive, the
/// time from process start to its first successful response, and the data directory removed when it stops.
/// </summary>
internal sealed class BenchTarget : IAsyncDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(120);
    private readonly string _dataDirectory;

    private BenchTarget(string name, bool isPeer, string description, ServerProcess process, IObjectStore store, string dataDirectory)
    {
        Name = name;
        IsPeer = isPeer;
        Description = description;
        Process = process;
        Store = store;
        _dataDirectory = dataDirectory;
        Sampler = TreeRssSampler.Start(process.Id);
    }

    public string Name { get; }

    public bool IsPeer { get; }

    public string Description { get; }

    public ServerProcess Process { get; }

    public IObjectStore Store { get; }

    /// <summary>Memory of the server's process tree, sampled every 50 ms.</summary>
    public TreeRssSampler Sampler { get; }

    /// <summary>Process start to the first successful response.</summary>
    public TimeSpan ColdStart { get; private set; }

    /// <summary>
    /// Starts <paramref name="launch"/>'s server and sends its probe (ListBuckets, or GetVersion) every 20 ms until one
    /// succeeds: that time is the cold start. Throws with the server's output when it exits or never answers.
    /// </summary>
    public static async Task<BenchTarget> StartAsync(Launch launch, CancellationToken cancellationToken)
    {
        var data = Path.Combine(Path.GetTempPath(), "s3bench", $"{launch.Name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        var clock = Stopwatch.StartNew();
        ServerProcess? process = null;
        IObjectStore? store = null;
        try
        {
            (process, store) = launch.Start(data);
            var deadline = clock.Elapsed + _startTimeout;
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{launch.Name} exited before it answered:\n{process.Tail}");
                }

                try
                {
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    attempt.CancelAfter(TimeSpan.FromSeconds(5));
                    await store.ProbeAsync(attempt.Token);
                    break;
                }
                catch (Exception) when (clock.Elapsed < deadline && !cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(20, cancellationToken);
                }
            }

            var target = new BenchTarget(launch.Name, launch.IsPeer, await launch.Describe(), process, store, data) { ColdStart = clock.Elapsed };
            return target;
        }
        catch
        {
            store?.Dispose();
            process?.Dispose();
            TryDelete(data);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Sampler.DisposeAsync();
        Store.Dispose();
        Process.Dispose();
        TryDelete(_dataDirectory);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"s3bench: could not remove {directory}: {e.Message}");
        }
    }
}

/// <summary>How to start one target: its server in a data directory, and the store that talks to it.</summary>
internal sealed record Launch(string Name, bool IsPeer, Func<string, (ServerProcess Process, IObjectStore Store)> Start, Func<Task<string>> Describe);
