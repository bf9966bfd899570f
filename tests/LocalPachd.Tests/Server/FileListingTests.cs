using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using static LocalPachd.Tests.TestServer;

namespace LocalPachd.Tests.Server;

public sealed class FileListingTests
{
    private static async Task<TestServer> WithTreeAsync()
    {
        var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"),
            Add("/a-b", "1"), Add("/a/x", "22"), Add("/a/y/z", "333"), Add("/a0", "4444"), Add("/b.txt", "5"), Add("/c/d/e/f", "66"));
        return server;
    }

    [Fact]
    public async Task InspectFile_FileDirectoryRootAndMissing()
    {
        await using var server = await WithTreeAsync();
        var file = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "a/x") });
        Assert.Equal(("/a/x", FileType.File, 2L), (file.File.Path, file.FileType, file.SizeBytes));
        Assert.Equal("r", file.File.Commit.Repo.Name);
        Assert.Null(file.File.Commit.Branch);
        Assert.NotNull(file.Committed);

        var dir = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "/a/") });
        Assert.Equal(("/a/", FileType.Dir, 5L), (dir.File.Path, dir.FileType, dir.SizeBytes));
        Assert.Equal(32, dir.Hash.Length);

        var root = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "/") });
        Assert.Equal(("/", 13L), (root.File.Path, root.SizeBytes));

        var head = (await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } })).Head.Id;
        var ex = await ThrowsRpcAsync(StatusCode.NotFound, async () => await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "/nope") }));
        Assert.Equal($"file /nope not found in repo default/r at commit {head}", ex.Status.Detail);
    }

    [Fact]
    public async Task ListFile_DirectoryFileAndPagination()
    {
        await using var server = await WithTreeAsync();
        var root = (await server.ListAsync(Head("r"), "/")).ConvertAll(f => f.File.Path);
        Assert.Equal(["/a-b", "/a/", "/a0", "/b.txt", "/c/"], root);

        var file = Assert.Single(await server.ListAsync(Head("r"), "/a/x"));
        Assert.Equal("/a/x", file.File.Path);

        Assert.Equal(["/a/x", "/a/y/"], (await server.ListAsync(Head("r"), "/a")).ConvertAll(f => f.File.Path));
        Assert.Equal(["/a0", "/b.txt"], (await server.ListAsync(Head("r"), "/", marker: "/a/", number: 2)).ConvertAll(f => f.File.Path));
        Assert.Equal(["/a0", "/b.txt", "/c/"], (await server.ListAsync(Head("r"), "/", marker: "/a/y/z")).ConvertAll(f => f.File.Path));
        Assert.Equal(["/c/", "/b.txt", "/a0", "/a/", "/a-b"], (await server.ListAsync(Head("r"), "/", reverse: true)).ConvertAll(f => f.File.Path));
        Assert.Equal(["/a/", "/a-b"], (await server.ListAsync(Head("r"), "/", marker: "/a0", reverse: true)).ConvertAll(f => f.File.Path));

        var dir = (await server.ListAsync(Head("r"), "/")).Single(f => f.File.Path == "/a/");
        Assert.Equal((FileType.Dir, 5L), (dir.FileType, dir.SizeBytes));
    }

    [Fact]
    public async Task ListFile_EmptyCommitRoot_Empty()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        Assert.Empty(await server.ListAsync(Head("r"), "/"));
        Assert.Empty(await server.WalkAsync(Head("r"), "/"));
        Assert.Empty(await server.WalkAsync(Head("r"), string.Empty));
    }

    [Theory]
    [InlineData("/*", "/a-b,/a/,/a0,/b.txt,/c/")]
    [InlineData("*", "/a-b,/a/,/a0,/b.txt,/c/")]
    [InlineData("/a*", "/a-b,/a/,/a0")]
    [InlineData("/a/*", "/a/x,/a/y/")]
    [InlineData("/**", "/a-b,/a/,/a/x,/a/y/,/a/y/z,/a0,/b.txt,/c/,/c/d/,/c/d/e/,/c/d/e/f")]
    [InlineData("/a/**", "/a/x,/a/y/,/a/y/z")]
    [InlineData("/**/z", "/a/y/z")]
    [InlineData("/?0", "/a0")]
    [InlineData("/[ab]*", "/a-b,/a/,/a0,/b.txt")]
    [InlineData("/[!a]*", "/b.txt,/c/")]
    [InlineData("/{a0,b.txt}", "/a0,/b.txt")]
    [InlineData("/b.txt", "/b.txt")]
    [InlineData("/a", "/a/")]
    [InlineData("/nope/*", "")]
    [InlineData("/", "/")]
    public async Task GlobFile_Patterns_LexicographicFullPathOrder(string pattern, string expected)
    {
        await using var server = await WithTreeAsync();
        var paths = await server.GlobAsync(Head("r"), pattern);
        Assert.Equal(expected.Length == 0 ? [] : expected.Split(','), paths);
    }

    [Fact]
    public async Task GlobFile_PathRange_ResumesAndStops()
    {
        await using var server = await WithTreeAsync();
        Assert.Equal(["/a/y/", "/a/y/z", "/a0", "/b.txt"], await server.GlobAsync(Head("r"), "/**", lower: "/a/y/", upper: "/c/"));
        Assert.Equal(["/a0", "/b.txt", "/c/", "/c/d/", "/c/d/e/", "/c/d/e/f"], await server.GlobAsync(Head("r"), "/**", lower: "/a/y/z\0"));
    }

    [Fact]
    public async Task WalkFile_RecursiveWithPagination()
    {
        await using var server = await WithTreeAsync();
        Assert.Equal(["/a/", "/a/x", "/a/y/", "/a/y/z"], await server.WalkAsync(Head("r"), "/a"));
        Assert.Equal(["/", "/a-b", "/a/", "/a/x"], await server.WalkAsync(Head("r"), "/", number: 4));
        Assert.Equal(["/a/y/", "/a/y/z", "/a0"], await server.WalkAsync(Head("r"), "/", marker: "/a/x", number: 3));
        Assert.Equal(["/a/y/z", "/a/y/", "/a/x", "/a/"], await server.WalkAsync(Head("r"), "/a", reverse: true));
        Assert.Equal(["/a/y/", "/a/x", "/a/", "/a-b", "/"], await server.WalkAsync(Head("r"), "/", marker: "/a/y/z", reverse: true));
        Assert.Equal(["/b.txt"], await server.WalkAsync(Head("r"), "/b.txt"));
        await ThrowsRpcAsync(StatusCode.NotFound, () => server.WalkAsync(Head("r"), "/nope"));
    }

    [Fact]
    public async Task GetFile_GlobDirectoryAndMissing()
    {
        await using var server = await WithTreeAsync();
        Assert.Equal("5", await server.GetTextAsync(Head("r"), "/b.*"));
        var dir = await ThrowsRpcAsync(StatusCode.FailedPrecondition, () => server.GetTextAsync(Head("r"), "/a"));
        Assert.Contains("cannot get directory or non-regular file", dir.Status.Detail, StringComparison.Ordinal);
        await ThrowsRpcAsync(StatusCode.FailedPrecondition, () => server.GetTextAsync(Head("r"), "/a*"));
        var head = (await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } })).Head.Id;
        var missing = await ThrowsRpcAsync(StatusCode.NotFound, () => server.GetTextAsync(Head("r"), "/zzz"));
        Assert.Equal($"file /zzz not found in repo default/r at commit {head}", missing.Status.Detail);
    }

    [Fact]
    public async Task FileAndDirectorySameName_BothListed_DirectoryWinsInspect()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"), Add("/p", "file"), Add("/p/q", "inner"));
        Assert.Equal(["/p", "/p/"], (await server.ListAsync(Head("r"), "/")).ConvertAll(f => f.File.Path));
        var info = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "/p") });
        Assert.Equal(FileType.Dir, info.FileType);
    }

    [Fact]
    public async Task LargeDirectory_PagedListingWithMarkersMatchesFullOrder()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        var names = Enumerable.Range(0, 3000).Select(i => $"/big/k{i:D5}").ToList();
        var requests = names.Select(n => AddEmpty(n)).ToList();
        requests.Add(Add("/big/sub/x", "1"));
        await server.ModifyAsync(Head("r"), [.. requests]);

        // Add and delete single files in the paged directory.
        await server.ModifyAsync(Head("r"), Add("/big/k01500a", "z"), Delete("/big/k00007"));
        names.Remove("/big/k00007");
        names.Add("/big/k01500a");
        names.Add("/big/sub/");
        names.Sort(StringComparer.Ordinal);

        var collected = new List<string>();
        string? marker = null;
        while (true)
        {
            var page = await server.ListAsync(Head("r"), "/big", marker, number: 333);
            if (page.Count == 0)
            {
                break;
            }

            collected.AddRange(page.ConvertAll(f => f.File.Path));
            marker = page[^1].File.Path;
        }

        Assert.Equal(names, collected);
        var dir = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "/big") });
        Assert.Equal(2, dir.SizeBytes);
        Assert.Equal(names.Count, (await server.GlobAsync(Head("r"), "/big/*")).Count);
    }
}
