using Gateway.Pachyderm;
using LocalPachd;

namespace Gateway.Core.Tests.Support;

/// <summary>
/// A real LocalPachd in this process (temp directory, ephemeral loopback port), shared by the tests of a collection.
/// Each test makes its own repos (<see cref="NewRepoAsync"/>), so tests never see each other's data.
/// </summary>
public sealed class PachdServer : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "core-tests-" + Guid.NewGuid().ToString("N"));
    private LocalPachdServer? _server;
    private PachClient? _client;

    /// <summary>A client without a token (auth stays off unless a test class starts its own server).</summary>
    public IPachClient Client => _client ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _server = await LocalPachdServer.StartAsync(new LocalPachdOptions { DataDirectory = _dataDirectory, Port = 0 });
        _client = PachClient.Create(_server.Address.ToString());
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a background task; the OS cleans the temp directory.
        }
    }

    /// <summary>Creates a repo with a unique name and its branch <paramref name="branch"/>; returns the repo name.</summary>
    public async Task<string> NewRepoAsync(string branch = "master")
    {
        var name = "r" + Guid.NewGuid().ToString("N")[..12];
        await Client.CreateRepoAsync(RepoRef.InDefault(name));
        await Client.CreateBranchAsync(new BranchRef(RepoRef.InDefault(name), branch));
        return name;
    }

    /// <summary>Writes <paramref name="content"/> at <paramref name="path"/> on the branch (one commit); returns the commit id.</summary>
    public async Task<string> PutAsync(string repo, string path, string content, string branch = "master")
    {
        var head = new BranchRef(RepoRef.InDefault(repo), branch).Head;
        using var data = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
        await Client.PutFileAsync(head, path, data);
        var info = await Client.InspectFileAsync(new FileRef(head, path));
        return info.File.Commit.Id;
    }

    /// <summary>The number of commits on the branch.</summary>
    public async Task<int> CommitCountAsync(string repo, string branch = "master")
    {
        var count = 0;
        await foreach (var _ in Client.ListCommitsAsync(RepoRef.InDefault(repo), new BranchRef(RepoRef.InDefault(repo), branch).Head))
        {
            count++;
        }

        return count;
    }

    /// <summary>True when the repo exists.</summary>
    public async Task<bool> RepoExistsAsync(string repo)
    {
        try
        {
            await Client.InspectRepoAsync(RepoRef.InDefault(repo));
            return true;
        }
        catch (PachException e) when (e.Kind == PachErrorKind.RepoNotFound)
        {
            return false;
        }
    }

    /// <summary>The file's content at the branch head, or null when it does not exist.</summary>
    public async Task<string?> ReadAsync(string repo, string path, string branch = "master")
    {
        try
        {
            await using var stream = await Client.GetFileAsync(new FileRef(new BranchRef(RepoRef.InDefault(repo), branch).Head, path));
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync();
        }
        catch (PachException e) when (e.Kind == PachErrorKind.FileNotFound)
        {
            return null;
        }
    }
}

/// <summary>The tests that share one <see cref="PachdServer"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PachdCollection : ICollectionFixture<PachdServer>
{
    public const string Name = "pachd";
}
