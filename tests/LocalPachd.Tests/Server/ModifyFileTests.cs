using Gateway.Pachyderm.Protos.Pfs;
using Google.Protobuf;
using Grpc.Core;
using static LocalPachd.Tests.TestServer;

namespace LocalPachd.Tests.Server;

public sealed class ModifyFileTests
{
    [Fact]
    public async Task ModifyFile_FinishedHead_CreatesOneFinishedChildCommit()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        var before = await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } });

        await server.ModifyAsync(Head("r"), Add("/a.txt", "hello"), Add("/b/c.txt", "world"));

        var after = await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } });
        Assert.NotEqual(before.Head.Id, after.Head.Id);
        var info = await server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById("r", after.Head.Id) });
        Assert.Equal(before.Head.Id, info.ParentCommit.Id);
        Assert.Null(info.ParentCommit.Branch);
        Assert.Null(info.Commit.Branch);
        Assert.NotNull(info.Finished);
        Assert.Equal(OriginKind.User, info.Origin.Kind);
        Assert.Equal(10, info.Details.SizeBytes);
        Assert.Equal("hello", await server.GetTextAsync(Head("r"), "/a.txt"));
        Assert.Equal("world", await server.GetTextAsync(ById("r", after.Head.Id), "b/c.txt"));
        var parent = await server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById("r", before.Head.Id) });
        Assert.Equal(after.Head.Id, Assert.Single(parent.ChildCommits).Id);
    }

    [Fact]
    public async Task ModifyFile_MissingBranch_CreatesBranchWithOneCommit()
    {
        await using var server = await StartAsync();
        await server.Pfs.CreateRepoAsync(new CreateRepoRequest { Repo = Repo("r") });
        await server.ModifyAsync(Head("r", "feature"), Add("/x", "1"));
        var branch = await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = Repo("r"), Name = "feature" } });
        var info = await server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById("r", branch.Head.Id) });
        Assert.Null(info.ParentCommit);
        Assert.NotNull(info.Finished);
        Assert.Equal("1", await server.GetTextAsync(Head("r", "feature"), "/x"));
    }

    [Fact]
    public async Task ModifyFile_OpenHead_ChangesGoIntoOpenCommit()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        var commit = await server.Pfs.StartCommitAsync(new StartCommitRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } });
        await server.ModifyAsync(Head("r"), Add("/a", "1"));
        await server.ModifyAsync(Head("r"), Add("/b", "2"));

        var branch = await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } });
        Assert.Equal(commit.Id, branch.Head.Id);
        var open = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "/a") });
        Assert.Null(open.Committed);

        await server.Pfs.FinishCommitAsync(new FinishCommitRequest { Commit = Head("r") });
        var info = await server.Pfs.InspectCommitAsync(new InspectCommitRequest { Commit = ById("r", commit.Id) });
        Assert.NotNull(info.Finished);
        Assert.Equal(2, info.Details.SizeBytes);
        var file = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "/a") });
        Assert.Equal(info.Finishing, file.Committed);
        Assert.Equal(commit.Id, file.File.Commit.Id);
    }

    [Fact]
    public async Task ModifyFile_ExplicitFinishedCommit_Unknown()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        var head = (await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } })).Head.Id;
        var ex = await ThrowsRpcAsync(StatusCode.Unknown, () => server.ModifyAsync(ById("r", head), Add("/a", "1")));
        Assert.Equal($"commit default/r@{head} has already finished", ex.Status.Detail);
    }

    [Fact]
    public async Task ModifyFile_SecondSetCommit_CannotSetCommit()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        var ex = await ThrowsRpcAsync(StatusCode.Unknown, () => server.ModifyAsync(Head("r"), new ModifyFileRequest { SetCommit = Head("r") }));
        Assert.Contains("cannot set commit", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModifyFile_FirstMessageNotSetCommit_Fails()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        using var call = server.Pfs.ModifyFile();
        await call.RequestStream.WriteAsync(Add("/a", "1"));
        await call.RequestStream.CompleteAsync();
        await Assert.ThrowsAsync<RpcException>(async () => await call);
    }

    [Fact]
    public async Task ModifyFile_MissingRepo_ClientStillWritingSeesNotFound()
    {
        await using var server = await StartAsync();
        using var call = server.Pfs.ModifyFile();
        await call.RequestStream.WriteAsync(new ModifyFileRequest { SetCommit = Head("missing") });
        var payload = new byte[256 * 1024];
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            for (var i = 0; i < 16; i++)
            {
                await call.RequestStream.WriteAsync(Add("/f", payload));
            }

            await call.RequestStream.CompleteAsync();
            await call;
        });
        var status = ex.StatusCode == StatusCode.NotFound ? ex.Status : (await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseAsync)).Status;
        Assert.Equal(StatusCode.NotFound, status.StatusCode);
        Assert.Equal("repo default/missing not found", status.Detail);
    }

    [Fact]
    public async Task AddFile_SeveralToSamePath_Append()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"), Add("/a", "one,"), Add("/a", "two,"), Add("/b", "x"), Add("/a", "three"));
        Assert.Equal("one,two,three", await server.GetTextAsync(Head("r"), "/a"));

        // Without a delete, a later AddFile appends to the existing file too (pachd semantics).
        await server.ModifyAsync(Head("r"), Add("/a", "!"));
        Assert.Equal("one,two,three!", await server.GetTextAsync(Head("r"), "/a"));

        await server.PutAsync("r", "/a", "new");
        Assert.Equal("new", await server.GetTextAsync(Head("r"), "/a"));
    }

    [Fact]
    public async Task AddFile_WithoutSource_CreatesEmptyFile()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"), AddEmpty("/empty"));
        var info = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "/empty") });
        Assert.Equal(0, info.SizeBytes);
        Assert.Equal(FileType.File, info.FileType);
        Assert.Equal(32, info.Hash.Length);
        Assert.Equal(string.Empty, await server.GetTextAsync(Head("r"), "/empty"));
    }

    [Fact]
    public async Task DeleteFile_ExactDirectoryAndMissing()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"), Add("/d/a", "1"), Add("/d/b", "2"), Add("/d/sub/c", "3"), Add("/d2", "4"), Add("/e", "5"));

        await server.ModifyAsync(Head("r"), Delete("/d/a"), Delete("/nope"), Delete("/nodir/"));
        Assert.Equal(["/d/", "/d/b", "/d/sub/", "/d/sub/c", "/d2", "/e"], await server.GlobAsync(Head("r"), "/**"));

        // Without a trailing slash only a file of that exact name is deleted: the directory stays.
        await server.ModifyAsync(Head("r"), Delete("/d"));
        Assert.Equal(["/d/", "/d/b", "/d/sub/", "/d/sub/c", "/d2", "/e"], await server.GlobAsync(Head("r"), "/**"));

        await server.ModifyAsync(Head("r"), Delete("/d/"));
        Assert.Equal(["/d2", "/e"], await server.GlobAsync(Head("r"), "/**"));

        await server.ModifyAsync(Head("r"), Delete("/"));
        Assert.Empty(await server.GlobAsync(Head("r"), "/**"));
    }

    [Fact]
    public async Task DeleteThenAdd_InOneStream_Overwrites()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.PutAsync("r", "/k", "old-content");
        await server.ModifyAsync(Head("r"), Delete("/k"), Add("/k", "new"), Delete("/k2"));
        Assert.Equal("new", await server.GetTextAsync(Head("r"), "/k"));
    }

    [Fact]
    public async Task CopyFile_FileDirectoryAndAppend()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("src");
        await server.CreateRepoAsync("dst");
        await server.ModifyAsync(Head("src"), Add("/f", "abc"), Add("/dir/x", "1"), Add("/dir/y/z", "2"));
        await server.PutAsync("dst", "/g", "start-");

        await server.ModifyAsync(Head("dst"),
            Copy("/copied", File(Head("src"), "/f")),
            Copy("/g", File(Head("src"), "/f"), append: true),
            Copy("/tree", File(Head("src"), "/dir")));

        Assert.Equal("abc", await server.GetTextAsync(Head("dst"), "/copied"));
        Assert.Equal("start-abc", await server.GetTextAsync(Head("dst"), "/g"));
        Assert.Equal(["/copied", "/g", "/tree/", "/tree/x", "/tree/y/", "/tree/y/z"], await server.GlobAsync(Head("dst"), "/**"));
        var source = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("src"), "/dir") });
        var copy = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("dst"), "/tree") });
        Assert.Equal(source.Hash, copy.Hash);
        Assert.Equal(source.SizeBytes, copy.SizeBytes);

        // Appending a directory appends file by file.
        await server.ModifyAsync(Head("dst"), Copy("/tree", File(Head("src"), "/dir"), append: true));
        Assert.Equal("11", await server.GetTextAsync(Head("dst"), "/tree/x"));
    }

    [Fact]
    public async Task CopyFile_MissingSource_NotFound()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        var ex = await ThrowsRpcAsync(StatusCode.NotFound, () => server.ModifyAsync(Head("r"), Copy("/x", File(Head("r"), "/missing"))));
        Assert.StartsWith("file /missing not found in repo default/r at commit ", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/a\u00e9", "path (/a\u00e9) invalid: only printable ASCII characters allowed")]
    [InlineData("/a\tb", "path (/a\tb) invalid: only printable ASCII characters allowed")]
    [InlineData("/a*b", "path (/a*b) invalid: globbing character (*) not allowed in path")]
    [InlineData("/a?", "path (/a?) invalid: globbing character (?) not allowed in path")]
    [InlineData("/[x]", "path (/[x]) invalid: globbing character ([) not allowed in path")]
    [InlineData("/x{y", "path (/x{y) invalid: globbing character ({) not allowed in path")]
    [InlineData("/x!y", "path (/x!y) invalid: globbing character (!) not allowed in path")]
    [InlineData("/x(y", "path (/x(y) invalid: globbing character (() not allowed in path")]
    [InlineData("/x@y", "path (/x@y) invalid: globbing character (@) not allowed in path")]
    [InlineData("/x+y", "path (/x+y) invalid: globbing character (+) not allowed in path")]
    [InlineData("/x^y", "path (/x^y) invalid: globbing character (^) not allowed in path")]
    [InlineData("/a/../b", "path (/a/../b) invalid: relative file paths are not allowed")]
    [InlineData("./b", "path (./b) invalid: relative file paths are not allowed")]
    public async Task AddFile_InvalidPath_UnknownWithPachdText(string path, string message)
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        var ex = await ThrowsRpcAsync(StatusCode.Unknown, () => server.ModifyAsync(Head("r"), Add(path, "x")));
        Assert.Equal(message, ex.Status.Detail);
    }

    [Theory]
    [InlineData("my key with spaces.txt")]
    [InlineData("100%=done&x;y,z'\"~`#$")]
    [InlineData("a/b/c d/e")]
    public async Task AddFile_PrintableAsciiKeys_Allowed(string key)
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.PutAsync("r", key, "v");
        Assert.Equal("v", await server.GetTextAsync(Head("r"), "/" + key.Replace("*", "\\*", StringComparison.Ordinal)));
        var info = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), key) });
        Assert.Equal("/" + key, info.File.Path);
    }

    [Fact]
    public async Task ModifyFile_CancelledMidStream_NothingAppliedAndChunksReclaimed()
    {
        await using var server = await StartAsync(configure: o => o.ChunkSize = 64 * 1024);
        await server.CreateRepoAsync("r");
        var head = (await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } })).Head.Id;
        var data = new byte[256 * 1024];
        Random.Shared.NextBytes(data);

        using (var cts = new CancellationTokenSource())
        {
            var call = server.Pfs.ModifyFile(cancellationToken: cts.Token);
            await call.RequestStream.WriteAsync(new ModifyFileRequest { SetCommit = Head("r") });
            await call.RequestStream.WriteAsync(Add("/big", data));
            // Wait until the server has turned the bytes into chunk files, then abort.
            var chunkRoot = Path.Combine(server.DataDirectory, "chunks");
            await Poll.UntilAsync(() => Directory.EnumerateFiles(chunkRoot, "*", SearchOption.AllDirectories).Count() >= 4);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(async () => await call);
            call.Dispose();

            await Poll.UntilAsync(() => !Directory.EnumerateFiles(chunkRoot, "*", SearchOption.AllDirectories).Any());
        }

        var after = (await server.Pfs.InspectBranchAsync(new InspectBranchRequest { Branch = new Branch { Repo = Repo("r"), Name = "master" } })).Head.Id;
        Assert.Equal(head, after);
        Assert.Empty(await server.GlobAsync(Head("r"), "/**"));
    }

    [Fact]
    public async Task AddFile_LargeFile_StreamsAcrossChunksAndReadsWithOffset()
    {
        await using var server = await StartAsync(configure: o => o.ChunkSize = 1024 * 1024);
        await server.CreateRepoAsync("r");
        var data = new byte[5 * 1024 * 1024 + 123];
        Random.Shared.NextBytes(data);
        var requests = new List<ModifyFileRequest> { Delete("/big") };
        for (var i = 0; i < data.Length; i += 700 * 1024)
        {
            requests.Add(Add("/big", data.AsSpan(i, Math.Min(700 * 1024, data.Length - i)).ToArray()));
        }

        await server.ModifyAsync(Head("r"), [.. requests]);
        var info = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "/big") });
        Assert.Equal(data.Length, info.SizeBytes);

        foreach (var offset in new long[] { 0, 1, 1024 * 1024, 1024 * 1024 + 5, data.Length - 1, data.Length, data.Length + 10 })
        {
            using var call = server.Pfs.GetFile(new GetFileRequest { File = File(Head("r"), "/big"), Offset = offset });
            var received = new List<byte>();
            await foreach (var chunk in call.ResponseStream.ReadAllAsync())
            {
                Assert.True(chunk.Value.Length <= 4 * 1024 * 1024);
                received.AddRange(chunk.Value);
            }

            var expected = offset >= data.Length ? [] : data.AsSpan((int)offset).ToArray();
            Assert.True(expected.AsSpan().SequenceEqual(received.ToArray()), $"offset {offset}");
        }
    }

    [Fact]
    public async Task SmallFiles_StoredInline_NoChunkFiles_ReadBackWithOffset()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"), Add("/s", "0123"), Add("/s", "456789"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "chunks"), "*", SearchOption.AllDirectories));
        Assert.Equal("0123456789", await server.GetTextAsync(Head("r"), "/s"));
        Assert.Equal("56789", await server.GetTextAsync(Head("r"), "/s", offset: 5));
        await server.ModifyAsync(Head("r"), Copy("/t", File(Head("r"), "/s")), Copy("/s", File(Head("r"), "/s"), append: true));
        Assert.Equal("01234567890123456789", await server.GetTextAsync(Head("r"), "/s"));
        Assert.Equal("0123456789", await server.GetTextAsync(Head("r"), "/t"));
    }

    [Fact]
    public async Task SameContent_SameHash_DifferentContent_DifferentHash()
    {
        await using var server = await StartAsync();
        await server.CreateRepoAsync("r");
        await server.ModifyAsync(Head("r"), Add("/a", "same"), Add("/b", "same"), Add("/c", "other"));
        var a = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "/a") });
        var b = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "/b") });
        var c = await server.Pfs.InspectFileAsync(new InspectFileRequest { File = File(Head("r"), "/c") });
        Assert.Equal(a.Hash, b.Hash);
        Assert.NotEqual(a.Hash, c.Hash);
        Assert.Equal(ByteString.CopyFrom(System.Security.Cryptography.SHA256.HashData(System.Security.Cryptography.SHA256.HashData("same"u8))), a.Hash);
    }
}
