using System.Diagnostics;
using Gateway.Pachyderm.Tests.Support;
using Grpc.Core;
using Xunit;

namespace Gateway.Pachyderm.Tests.Client;

/// <summary>
/// A pachd that stops answering fails calls as Unavailable within the configured bounds (unary deadline, stream idle
/// timeout, connect timeout) instead of holding them forever; a caller that is merely slow is never cut off.
/// </summary>
public sealed class PachClientTimeoutTests : IAsyncLifetime
{
    private static readonly TimeSpan _short = TimeSpan.FromMilliseconds(500);

    /// <summary>The idle timeout of tests where pachd stalls after answering in part (roomy: the part must arrive first).</summary>
    private static readonly TimeSpan _stall = TimeSpan.FromSeconds(2);

    /// <summary>The idle timeout of tests where the caller is slower than it.</summary>
    private static readonly TimeSpan _idle = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a test waits for a call the client should have ended long before: a hang fails, not blocks.</summary>
    private static readonly TimeSpan _hang = TimeSpan.FromSeconds(20);

    private static readonly RepoRef _repo = RepoRef.InDefault("images");

    private StallingPachd _pachd = null!;

    public async Task InitializeAsync()
    {
        _pachd = await StallingPachd.StartAsync();
        // The first calls on a fresh server pay for connecting and JIT: never let that count against a short timeout.
        using var warm = Client(callTimeout: Timeout.InfiniteTimeSpan, idle: Timeout.InfiniteTimeSpan);
        await using (var stream = await warm.GetFileAsync(File("/whole")))
        {
            await stream.CopyToAsync(Stream.Null);
        }

        await warm.PutFileAsync(new BranchRef(_repo, "master").Head, "/warm", new MemoryStream(new byte[10]));
        await foreach (var _ in warm.ListReposAsync())
        {
            break;
        }
    }

    public async Task DisposeAsync() => await _pachd.DisposeAsync();

    [Fact]
    public async Task GetVersion_PachdAcceptsButNeverAnswers_UnavailableWithinTheTimeouts()
    {
        using var silent = SilentEndpoint.Accepting();
        using var client = PachClient.Create(new PachClientOptions { Address = silent.Address, CallTimeout = _short, ConnectTimeout = _short });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<PachException>(() => client.GetVersionAsync().WaitAsync(_hang));

        Assert.Equal(PachErrorKind.Unavailable, error.Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task GetVersion_AddressDropsConnections_UnavailableAfterConnectTimeout()
    {
        using var unreachable = await SilentEndpoint.UnreachableAsync();
        // A deadline far away: only the connect timeout can end this call in time.
        using var client = PachClient.Create(new PachClientOptions
        {
            Address = unreachable.Address,
            CallTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = _short,
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<PachException>(() => client.GetVersionAsync().WaitAsync(_hang));

        Assert.Equal(PachErrorKind.Unavailable, error.Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task InspectRepo_HandlerNeverAnswers_UnavailableAtTheDeadline()
    {
        using var client = Client(callTimeout: _short, idle: TimeSpan.FromMinutes(5));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<PachException>(() => client.InspectRepoAsync(_repo).WaitAsync(_hang));

        Assert.Equal(PachErrorKind.Unavailable, error.Kind);
        Assert.Equal(StatusCode.DeadlineExceeded, error.Status);
        Assert.InRange(clock.Elapsed, _short * 0.8, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ListRepos_StreamStallsAfterFirstEntry_UnavailableAfterIdleTimeout()
    {
        using var client = Client(callTimeout: TimeSpan.FromMinutes(5), idle: _stall);
        var seen = new List<string>();

        var error = await Assert.ThrowsAsync<PachException>(() => ReadAllAsync().WaitAsync(_hang));

        Assert.Equal(PachErrorKind.Unavailable, error.Kind);
        Assert.Equal(["first"], seen);

        async Task ReadAllAsync()
        {
            await foreach (var repo in client.ListReposAsync())
            {
                seen.Add(repo.Repo.Name);
            }
        }
    }

    [Fact]
    public async Task GetFile_StreamStallsAfterFirstChunk_ReadFailsUnavailable()
    {
        using var client = Client(callTimeout: TimeSpan.FromMinutes(5), idle: _stall);
        await using var stream = await client.GetFileAsync(File(StallingPachd.StallPath)).WaitAsync(_hang);
        var buffer = new byte[StallingPachd.ChunkSize];
        Assert.Equal(StallingPachd.ChunkSize, await stream.ReadAsync(buffer));

        var error = await Assert.ThrowsAsync<PachException>(() => stream.ReadAsync(buffer).AsTask().WaitAsync(_hang));

        Assert.Equal(PachErrorKind.Unavailable, error.Kind);
    }

    [Fact]
    public async Task GetFile_CallerReadsSlowerThanIdleTimeout_NotCutOff()
    {
        using var client = Client(callTimeout: _idle, idle: _idle);
        await using var stream = await client.GetFileAsync(File("/whole")).WaitAsync(_hang);
        var buffer = new byte[StallingPachd.ChunkSize];
        var total = 0;

        while (await stream.ReadAsync(buffer) is var read and > 0)
        {
            total += read;
            // An S3 client reading slowly: the gateway waits on it, not on pachd.
            await Task.Delay(_idle * 2.5);
        }

        Assert.Equal(StallingPachd.ChunkCount * StallingPachd.ChunkSize, total);
    }

    [Fact]
    public async Task ModifyFile_PachdStopsReading_UnavailableAfterIdleTimeout()
    {
        using var client = Client(callTimeout: TimeSpan.FromMinutes(5), idle: _short);
        // Far more than the HTTP/2 windows: the writes block once pachd's buffers are full.
        using var content = new MemoryStream(new byte[8 * 1024 * 1024]);
        var target = new BranchRef(_repo, StallingPachd.StallBranch).Head;

        var error = await Assert.ThrowsAsync<PachException>(() => client.PutFileAsync(target, "/big", content).WaitAsync(_hang));

        Assert.Equal(PachErrorKind.Unavailable, error.Kind);
    }

    [Fact]
    public async Task ModifyFile_SourceSlowerThanIdleTimeout_Completes()
    {
        using var client = PachClient.Create(new PachClientOptions
        {
            Address = _pachd.Address.ToString(),
            CallTimeout = _idle,
            StreamIdleTimeout = _idle,
            AddFileChunkSize = 16 * 1024,
        });
        // An S3 client sending slowly: three pieces, each arriving long after the idle timeout.
        await using var content = new SlowSource(pieces: 3, pieceSize: 16 * 1024, pause: _idle * 2.5);

        await client.PutFileAsync(new BranchRef(_repo, "master").Head, "/slow", content).WaitAsync(_hang);

        Assert.Equal(3, content.PiecesSent);
    }

    private PachClient Client(TimeSpan callTimeout, TimeSpan idle) => PachClient.Create(new PachClientOptions
    {
        Address = _pachd.Address.ToString(),
        CallTimeout = callTimeout,
        StreamIdleTimeout = idle,
    });

    private static FileRef File(string path) => new(new BranchRef(_repo, "master").Head, path);

    /// <summary>A source that hands out one piece per read, pausing before each piece after the first.</summary>
    private sealed class SlowSource(int pieces, int pieceSize, TimeSpan pause) : Stream
    {
        public int PiecesSent { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (PiecesSent == pieces)
            {
                return 0;
            }

            if (PiecesSent > 0)
            {
                await Task.Delay(pause, cancellationToken);
            }

            var n = Math.Min(buffer.Length, pieceSize);
            buffer.Span[..n].Fill((byte)'s');
            PiecesSent++;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
