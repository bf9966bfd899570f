using System.Net;
using Gateway.Pachyderm.Protos.Pfs;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PfsApi = Gateway.Pachyderm.Protos.Pfs.API;

namespace Gateway.Pachyderm.Tests.Support;

/// <summary>
/// A pfs_v2 server on loopback whose handlers stop answering where a test says, as a pachd that hangs: InspectRepo
/// never answers; ListRepo sends one repo, then nothing; GetFile of <see cref="StallPath"/> sends one chunk, then
/// nothing (any other path: <see cref="ChunkCount"/> chunks, then the end); ModifyFile on branch
/// <see cref="StallBranch"/> reads nothing after set_commit (any other branch: reads to the end, then answers).
/// A stalled handler waits until the call is cancelled. Every other RPC answers UNIMPLEMENTED, as a pachd that does
/// not have it (e.g. SquashCommit before pachd 2.8).
/// </summary>
public sealed class StallingPachd : IAsyncDisposable
{
    public const string StallPath = "/stall";
    public const string StallBranch = "stall";
    public const int ChunkCount = 3;
    public const int ChunkSize = 1024;

    private readonly WebApplication _app;
    private readonly CallCount _getFiles;

    private StallingPachd(WebApplication app, Uri address, CallCount getFiles)
    {
        _app = app;
        Address = address;
        _getFiles = getFiles;
    }

    /// <summary>GetFile calls received so far.</summary>
    public int GetFileCalls => _getFiles.Value;

    /// <summary>The http:// address to give <see cref="PachClient.Create(PachClientOptions)"/>.</summary>
    public Uri Address { get; }

    public static async Task<StallingPachd> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        var getFiles = new CallCount();
        builder.Services.AddSingleton(getFiles);
        var app = builder.Build();
        app.MapGrpcService<Service>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StallingPachd(app, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)), getFiles);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task StallAsync(ServerCallContext context) => Task.Delay(Timeout.Infinite, context.CancellationToken);

    private sealed class CallCount
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Add() => Interlocked.Increment(ref _value);
    }

    private sealed class Service(CallCount getFiles) : PfsApi.APIBase
    {
        public override async Task<RepoInfo> InspectRepo(InspectRepoRequest request, ServerCallContext context)
        {
            await StallAsync(context);
            return new RepoInfo();
        }

        public override async Task ListRepo(ListRepoRequest request, IServerStreamWriter<RepoInfo> responseStream, ServerCallContext context)
        {
            await responseStream.WriteAsync(new RepoInfo { Repo = new Repo { Name = "first", Type = "user" } });
            await StallAsync(context);
        }

        public override async Task GetFile(GetFileRequest request, IServerStreamWriter<BytesValue> responseStream, ServerCallContext context)
        {
            getFiles.Add();
            var chunk = new BytesValue { Value = ByteString.CopyFrom(new byte[ChunkSize]) };
            if (request.File.Path == StallPath)
            {
                await responseStream.WriteAsync(chunk);
                await StallAsync(context);
                return;
            }

            for (var i = 0; i < ChunkCount; i++)
            {
                await responseStream.WriteAsync(chunk);
            }
        }

        public override async Task<Empty> ModifyFile(IAsyncStreamReader<ModifyFileRequest> requestStream, ServerCallContext context)
        {
            if (!await requestStream.MoveNext(context.CancellationToken))
            {
                return new Empty();
            }

            if (requestStream.Current.SetCommit?.Branch?.Name == StallBranch)
            {
                await StallAsync(context);
            }

            while (await requestStream.MoveNext(context.CancellationToken))
            {
            }

            return new Empty();
        }
    }
}
