using Gateway.Pachyderm.Protos.Pfs;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using AuthApi = Gateway.Pachyderm.Protos.Auth.API;
using PfsApi = Gateway.Pachyderm.Protos.Pfs.API;
using VersionApi = Gateway.Pachyderm.Protos.Version.API;

namespace LocalPachd.Tests;

/// <summary>A LocalPachd on an ephemeral loopback port with its own temp data directory, plus typed clients.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly bool _ownsDirectory;

    private TestServer(LocalPachdServer server, string directory, bool ownsDirectory)
    {
        Server = server;
        DataDirectory = directory;
        _ownsDirectory = ownsDirectory;
        Channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = LocalPachdServer.MaxMessageSize,
            MaxSendMessageSize = LocalPachdServer.MaxMessageSize,
        });
        Pfs = new PfsApi.APIClient(Channel);
        Auth = new AuthApi.APIClient(Channel);
        Version = new VersionApi.APIClient(Channel);
    }

    public LocalPachdServer Server { get; }

    public string DataDirectory { get; }

    public GrpcChannel Channel { get; }

    public PfsApi.APIClient Pfs { get; }

    public AuthApi.APIClient Auth { get; }

    public VersionApi.APIClient Version { get; }

    public static async Task<TestServer> StartAsync(string? directory = null, Action<LocalPachdOptions>? configure = null)
    {
        var owns = directory is null;
        directory ??= NewDirectory();
        var options = new LocalPachdOptions { DataDirectory = directory, Port = 0, BackgroundGarbageCollection = false };
        configure?.Invoke(options);
        var server = await LocalPachdServer.StartAsync(options);
        return new TestServer(server, directory, owns);
    }

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "localpachd-tests", Guid.NewGuid().ToString("N"));

    public static Repo Repo(string name, string project = "default") =>
        new() { Name = name, Type = "user", Project = new Project { Name = project } };

    public static Commit Head(string repo, string branch = "master") =>
        new() { Repo = Repo(repo), Branch = new Branch { Repo = Repo(repo), Name = branch } };

    public static Commit ById(string repo, string id) => new() { Repo = Repo(repo), Id = id };

    public static Gateway.Pachyderm.Protos.Pfs.File File(Commit commit, string path) => new() { Commit = commit, Path = path };

    public async Task CreateRepoAsync(string name)
    {
        await Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = Repo(name) });
        await Pfs.CreateBranchAsync(new CreateBranchRequest { Branch = new Branch { Repo = Repo(name), Name = "master" } });
    }

    /// <summary>One ModifyFile call; each action adds requests after set_commit.</summary>
    public async Task ModifyAsync(Commit commit, params ModifyFileRequest[] requests)
    {
        using var call = Pfs.ModifyFile();
        await call.RequestStream.WriteAsync(new ModifyFileRequest { SetCommit = commit });
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request);
        }

        await call.RequestStream.CompleteAsync();
        await call;
    }

    public Task PutAsync(string repo, string path, string content, string branch = "master") =>
        ModifyAsync(Head(repo, branch), Delete(path), Add(path, content));

    public static ModifyFileRequest Add(string path, string content) => Add(path, System.Text.Encoding.UTF8.GetBytes(content));

    public static ModifyFileRequest Add(string path, byte[] content) =>
        new() { AddFile = new AddFile { Path = path, Raw = ByteString.CopyFrom(content) } };

    public static ModifyFileRequest AddEmpty(string path) => new() { AddFile = new AddFile { Path = path } };

    public static ModifyFileRequest Delete(string path) => new() { DeleteFile = new DeleteFile { Path = path } };

    public static ModifyFileRequest Copy(string dst, Gateway.Pachyderm.Protos.Pfs.File src, bool append = false) =>
        new() { CopyFile = new CopyFile { Dst = dst, Src = src, Append = append } };

    /// <summary>A file's bytes, read whole with GetFile.</summary>
    public async Task<byte[]> GetBytesAsync(Commit commit, string path)
    {
        using var call = Pfs.GetFile(new GetFileRequest { File = File(commit, path) });
        var received = new List<byte>();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            received.AddRange(message.Value);
        }

        return [.. received];
    }

    public async Task<string> GetTextAsync(Commit commit, string path, long offset = 0)
    {
        using var call = Pfs.GetFile(new GetFileRequest { File = File(commit, path), Offset = offset });
        var text = new System.Text.StringBuilder();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            text.Append(chunk.Value.ToStringUtf8());
        }

        return text.ToString();
    }

    public async Task<List<Gateway.Pachyderm.Protos.Pfs.FileInfo>> ListAsync(Commit commit, string path, string? marker = null, long number = 0, bool reverse = false)
    {
        var request = new ListFileRequest { File = File(commit, path), Number = number, Reverse = reverse };
        if (marker is not null)
        {
            request.PaginationMarker = File(commit, marker);
        }

        using var call = Pfs.ListFile(request);
        return await call.ResponseStream.ReadAllAsync().ToListAsync();
    }

    public async Task<List<string>> GlobAsync(Commit commit, string pattern, string? lower = null, string? upper = null)
    {
        var request = new GlobFileRequest { Commit = commit, Pattern = pattern };
        if (lower is not null || upper is not null)
        {
            request.PathRange = new PathRange { Lower = lower ?? string.Empty, Upper = upper ?? string.Empty };
        }

        using var call = Pfs.GlobFile(request);
        return (await call.ResponseStream.ReadAllAsync().ToListAsync()).ConvertAll(f => f.File.Path);
    }

    public async Task<List<string>> WalkAsync(Commit commit, string path, string? marker = null, long number = 0, bool reverse = false)
    {
        var request = new WalkFileRequest { File = File(commit, path), Number = number, Reverse = reverse };
        if (marker is not null)
        {
            request.PaginationMarker = File(commit, marker);
        }

        using var call = Pfs.WalkFile(request);
        return (await call.ResponseStream.ReadAllAsync().ToListAsync()).ConvertAll(f => f.File.Path);
    }

    public static async Task<RpcException> ThrowsRpcAsync(StatusCode code, Func<Task> action)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(action);
        Assert.Equal(code, ex.StatusCode);
        return ex;
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Server.DisposeAsync();
        if (_ownsDirectory)
        {
            TryDelete(DataDirectory);
        }
    }

    public static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
