using System.Collections.Concurrent;
using Gateway.Pachyderm.Protos.Pfs;
using Microsoft.Extensions.Logging;
using static LocalPachd.Tests.TestServer;

namespace LocalPachd.Tests.Server;

/// <summary>A client that stops reading a server stream ends it; the server does not log that as its own error.</summary>
public sealed class AbandonedStreamTests
{
    [Fact]
    public async Task ListingsAndDownloads_AbandonedByTheirClients_NoServerErrorLogged()
    {
        var log = new RecordingLoggerProvider();
        await using var server = await StartAsync(configure: o => o.LoggerProvider = log);
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"), [.. Enumerable.Range(0, 3000).Select(i => Add($"/d/f{i:D5}", "x"))]);
        await server.ModifyAsync(Head("r"), [.. Enumerable.Range(0, 10).Select(_ => Add("/big", new byte[4 * 1024 * 1024]))]);

        await Parallel.ForAsync(0, 240, async (i, _) =>
        {
            if (i % 3 == 0)
            {
                using var early = server.Pfs.GlobFile(new GlobFileRequest { Commit = Head("r"), Pattern = "/d/*" });
                await Task.Delay(i % 7);
                return;
            }

            using (var glob = server.Pfs.GlobFile(new GlobFileRequest { Commit = Head("r"), Pattern = "/d/*" }))
            {
                Assert.True(await glob.ResponseStream.MoveNext(default));
            }

            using (var get = server.Pfs.GetFile(new GetFileRequest { File = File(Head("r"), "/big") }))
            {
                Assert.True(await get.ResponseStream.MoveNext(default));
            }
        });

        // The server notices the resets asynchronously.
        await Task.Delay(500);
        Assert.Empty(log.Errors);
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Errors { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Recorder(RecordingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Error)
                {
                    owner.Errors.Enqueue($"{category}: {formatter(state, exception)} {exception?.GetType().Name}");
                }
            }
        }
    }
}
