using System.Net;
using LocalPachd.Auth;
using LocalPachd.Hosting;
using LocalPachd.Pfs;
using LocalPachd.Services;
using LocalPachd.Storage;
using LocalPachd.Tree;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LocalPachd;

/// <summary>
/// A pachd-compatible gRPC server (pfs_v2, auth_v2, versionpb_v2) over HTTP/2 cleartext, storing metadata in
/// SQLite and file contents as content-addressed chunk files under <see cref="LocalPachdOptions.DataDirectory"/>.
/// Start one with <see cref="StartAsync"/>; dispose it to stop. For development, tests and single-machine use.
/// </summary>
public sealed class LocalPachdServer : IAsyncDisposable
{
    /// <summary>pachd's gRPC message size limit (both directions).</summary>
    public const int MaxMessageSize = 20 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly MetadataDb _db;
    private readonly GarbageCollector _collector;
    private int _disposed;

    private readonly InProcessEndPoint _inProcess;

    private LocalPachdServer(WebApplication app, Uri address, string dataDirectory, InProcessEndPoint inProcess)
    {
        _app = app;
        _inProcess = inProcess;
        Address = address;
        DataDirectory = dataDirectory;
        _db = app.Services.GetRequiredService<MetadataDb>();
        _collector = app.Services.GetRequiredService<GarbageCollector>();
        Store = app.Services.GetRequiredService<PfsStore>();
    }

    /// <summary>The address clients connect to, e.g. <c>http://127.0.0.1:30650</c>.</summary>
    public Uri Address { get; }

    /// <summary>The port actually bound (useful when <see cref="LocalPachdOptions.Port"/> was 0).</summary>
    public int Port => Address.Port;

    /// <summary>The full path of the data directory.</summary>
    public string DataDirectory { get; }

    internal PfsStore Store { get; }

    /// <summary>
    /// A new HTTP/2 connection to this server from inside the process, over in-memory pipes instead of a loopback socket
    /// (the same server and protocol; for <c>PachClientOptions.Connect</c>).
    /// </summary>
    public ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken = default) => _inProcess.ConnectAsync(cancellationToken);

    internal GarbageCollector Collector => _collector;

    /// <summary>Opens (or creates) the data directory and starts serving.</summary>
    public static async Task<LocalPachdServer> StartAsync(LocalPachdOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var bind = IPAddress.Parse(options.BindAddress);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LocalPachdServer).Assembly.GetName().Name,
            ContentRootPath = dataDirectory,
        });
        var inProcess = new InProcessEndPoint();
        builder.WebHost.UseKestrelCore();
        // After Kestrel's socket transport (registered only if no transport is yet): each endpoint goes to the transport
        // that can bind it.
        builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IConnectionListenerFactory, InProcessEndPoint.ListenerFactory>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(bind, options.Port, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(inProcess, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 16 * 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 8 * 1024 * 1024;
            kestrel.Limits.Http2.MaxFrameSize = 1024 * 1024;
        });
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        if (options.LoggerProvider is { } provider)
        {
            builder.Logging.AddProvider(provider);
        }
        builder.Services.AddRouting();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MaxMessageSize;
            grpc.MaxSendMessageSize = MaxMessageSize;
            grpc.Interceptors.Add<AuthInterceptor>();
        });

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => new MetadataDb(dataDirectory, options.Synchronous));
        builder.Services.AddSingleton(_ => new ChunkStore(dataDirectory, options.FileSync, options.FsyncChunks));
        builder.Services.AddSingleton(_ => new NodeCache(options.NodeCacheBytes));
        builder.Services.AddSingleton(sp => new PfsStore(
            sp.GetRequiredService<MetadataDb>(), sp.GetRequiredService<ChunkStore>(), sp.GetRequiredService<NodeCache>(), options.TimeProvider));
        builder.Services.AddSingleton(sp => new AuthStore(sp.GetRequiredService<MetadataDb>(), options.TimeProvider));
        builder.Services.AddSingleton<AuthInterceptor>();

        // The services hold nothing per call, so one instance each serves every call. Registered, they are taken from
        // the container; otherwise gRPC builds each from an expression-compiled factory on first use, which maps
        // System.Linq.Expressions (2.4 MiB resident) into the process, and allocates one per call.
        builder.Services.AddSingleton<PfsService>();
        builder.Services.AddSingleton<AuthService>();
        builder.Services.AddSingleton<VersionService>();
        builder.Services.AddSingleton(sp => new GarbageCollector(
            sp.GetRequiredService<MetadataDb>(), sp.GetRequiredService<ChunkStore>(), sp.GetRequiredService<NodeCache>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("LocalPachd.GarbageCollector")));

        var app = builder.Build();
        app.UseRouting();
        app.MapGrpcService<PfsService>();
        app.MapGrpcService<AuthService>();
        app.MapGrpcService<VersionService>();

        try
        {
            // Crash recovery before serving: drop half-written temp files and chunk files no metadata refers to.
            var chunks = app.Services.GetRequiredService<ChunkStore>();
            chunks.CleanTemp();
            var collector = app.Services.GetRequiredService<GarbageCollector>();
            collector.RemoveOrphanChunks();

            // A previous process may have renamed chunks whose directories it never fsync'd (it was killed first):
            // visible now, but not yet durable. Flush them once, so "the file exists" means "the file is durable"
            // for the writers of this process, which reuse existing chunks without syncing them again.
            if (options.FsyncChunks)
            {
                chunks.FileSync.SyncFileSystem(dataDirectory);
            }

            var store = app.Services.GetRequiredService<PfsStore>();
            if (options.BackgroundGarbageCollection)
            {
                store.GarbageCreated += collector.Schedule;
            }

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.StartsWith("http", StringComparison.Ordinal));
        var port = new Uri(bound).Port;
        var host = bind.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{bind}]" : bind.ToString();
        if (bind.Equals(IPAddress.Any))
        {
            host = "127.0.0.1";
        }
        else if (bind.Equals(IPAddress.IPv6Any))
        {
            host = "[::1]";
        }

        var address = new Uri($"http://{host}:{port}");
        ServerLog.Started(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LocalPachd"), address, dataDirectory);
        return new LocalPachdServer(app, address, dataDirectory, inProcess);
    }

    /// <summary>Runs a garbage collection now (normally it runs in the background after deletions).</summary>
    internal Task<GcResult> CollectGarbageAsync(CancellationToken cancellationToken = default) => _collector.CollectAsync(cancellationToken);

    /// <summary>Stops serving and closes the data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _collector.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _db.Dispose();
        }
    }
}
