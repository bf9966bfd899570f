using System.Diagnostics;
using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using Grpc.Net.Client;
using static LocalPachd.Tests.TestServer;
using PfsApi = Gateway.Pachyderm.Protos.Pfs.API;

namespace LocalPachd.Tests.Hosting;

/// <summary>Runs alone: its check is the CPU time of the process's threads while nothing else runs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CpuQuietCollection
{
    public const string Name = "CPU-quiet";
}

/// <summary>The in-process endpoint (pipes instead of a loopback socket) used by the gateway's embedded LocalPachd.</summary>
[Collection(CpuQuietCollection.Name)]
public sealed class InProcessTransportTests
{
    [Fact]
    public async Task ListingsAbandonedMidStream_LeaveNoServerThreadBusy()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        const string longName = "-with-a-name-long-enough-to-fill-the-flow-control-window-sooner";
        await server.ModifyAsync(Head("r"), [.. Enumerable.Range(0, 3000).Select(i => Add($"/dir/file-{i:D5}{longName}", "v"))]);

        using var channel = GrpcChannel.ForAddress("http://localpachd.inproc", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectCallback = (_, cancellationToken) => server.Server.ConnectAsync(cancellationToken) },
        });
        var pfs = new PfsApi.APIClient(channel);

        // A client that reads the start of a listing or a download and drops the call resets the stream while the server
        // is writing (usually while it waits for flow-control credit), from several clients at once.
        await server.ModifyAsync(Head("r"), [.. Enumerable.Range(0, 12).Select(_ => Add("/big", new byte[2 << 20]))]);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                if ((client + i) % 2 == 0)
                {
                    using var walk = pfs.WalkFile(new WalkFileRequest { File = File(Head("r"), "/") });
                    Assert.True(await walk.ResponseStream.MoveNext(CancellationToken.None));
                }
                else
                {
                    using var get = pfs.GetFile(new GetFileRequest { File = File(Head("r"), "/big") });
                    Assert.True(await get.ResponseStream.MoveNext(CancellationToken.None));
                }
            }
        })));

        // Every server call has ended by now or ends at its next write; none may keep a thread busy.
        await Task.Delay(500);
        var before = ThreadTimes();
        var clock = Stopwatch.StartNew();
        await Task.Delay(3000);
        var busiest = ThreadTimes()
            .Select(t => (t.Key, Used: t.Value - before.GetValueOrDefault(t.Key)))
            .OrderByDescending(t => t.Used)
            .First();
        Assert.True(
            busiest.Used < TimeSpan.FromSeconds(1),
            $"thread pool thread {busiest.Key} used {busiest.Used.TotalSeconds:F2} s of CPU in {clock.Elapsed.TotalSeconds:F1} s while the process was idle");

        // The endpoint still serves.
        using var list = pfs.ListFile(new ListFileRequest { File = File(Head("r"), "/dir") });
        Assert.Equal(3000, (await list.ResponseStream.ReadAllAsync().ToListAsync()).Count);
    }

    /// <summary>
    /// CPU time used so far by each thread-pool thread of this process, by OS thread id: where server calls run (the
    /// runtime's own threads, such as the tiered JIT's background compiler, may well be busy meanwhile).
    /// </summary>
    private static Dictionary<int, TimeSpan> ThreadTimes()
    {
        using var process = Process.GetCurrentProcess();
        var times = new Dictionary<int, TimeSpan>();
        foreach (ProcessThread thread in process.Threads)
        {
            try
            {
                var name = System.IO.File.ReadAllText($"/proc/self/task/{thread.Id}/comm").Trim();
                if (name.StartsWith(".NET TP Worker", StringComparison.Ordinal))
                {
                    times[thread.Id] = thread.TotalProcessorTime;
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return times;
    }
}
