using Gateway.Core.Tests.Support;
using Gateway.Core.Uploads;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Moq;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Tests.Uploads;

/// <summary>The multipart operations through the handler with a strict mocked pachd: which pachd calls, how many commits.</summary>
public sealed class MultipartHandlerTests
{
    private const string _uploadId = "0123456789abcdef0123456789abcdef";
    private static readonly BranchRef _master = new(RepoRef.InDefault("data"), "master");
    private static readonly string _uploadDir = "/uploads/default/data/master/" + UploadLayout.EncodeKey("dir/obj.bin") + "/" + _uploadId + "/";

    private static FileInfo Manifest() => Pfs.File(_uploadDir + "manifest-1764000000000");

    private static FileInfo PartFile(int n, long size, string commit = "aaaaaaaaaaaa4aaaaaaaaaaaaaaaaaaa") =>
        Pfs.File(_uploadDir + $"parts/{n:D5}/1764000000{n:D3}-abcd0123", size, commit);

    private static void SetupUploadExists(HandlerHarness h) =>
        h.Pach.Setup(p => p.GlobFileAsync(UploadLayout.Head, _uploadDir + "manifest-*", null, It.IsAny<CancellationToken>()))
            .Returns(() => Pfs.Stream([Manifest()]));

    [Fact]
    public async Task Complete_ThreeParts_OneModifyFileOnDestinationWithDeleteCopyAppends()
    {
        var h = new HandlerHarness();
        SetupUploadExists(h);
        var parts = new[] { PartFile(1, 5 * 1024 * 1024), PartFile(2, 5 * 1024 * 1024), PartFile(3, 7) };
        h.Pach.Setup(p => p.GlobFileAsync(UploadLayout.Head, _uploadDir + "parts/*/*", It.IsAny<PathRange>(), It.IsAny<CancellationToken>()))
            .Returns(() => Pfs.Stream(parts));

        var calls = new List<string>();
        var writer = new Mock<IModifyFileWriter>(MockBehavior.Strict);
        writer.Setup(w => w.DeleteFileAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string path, CancellationToken _) => calls.Add("delete " + path)).Returns(Task.CompletedTask);
        writer.Setup(w => w.CopyFileAsync(It.IsAny<string>(), It.IsAny<FileRef>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Callback((string dst, FileRef src, bool append, CancellationToken _) => calls.Add($"copy {dst} <- {src.Commit.Repo.Name}@{src.Commit.Id}:{src.Path} append={append}"))
            .Returns(Task.CompletedTask);
        var cleanup = new Mock<IModifyFileWriter>(MockBehavior.Strict);
        cleanup.Setup(w => w.DeleteFileAsync(_uploadDir, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        h.Pach.Setup(p => p.ModifyFileAsync(_master.Head, It.IsAny<Func<IModifyFileWriter, Task>>(), It.IsAny<CancellationToken>()))
            .Returns((CommitRef _, Func<IModifyFileWriter, Task> write, CancellationToken _) => write(writer.Object));
        h.Pach.Setup(p => p.ModifyFileAsync(UploadLayout.Head, It.IsAny<Func<IModifyFileWriter, Task>>(), It.IsAny<CancellationToken>()))
            .Returns((CommitRef _, Func<IModifyFileWriter, Task> write, CancellationToken _) => write(cleanup.Object));
        var assembled = Pfs.File("/dir/obj.bin", size: (10 * 1024 * 1024) + 7, commitId: "bbbbbbbbbbbb4bbbbbbbbbbbbbbbbbbb");
        h.Pach.Setup(p => p.InspectFileAsync(new FileRef(_master.Head, "/dir/obj.bin"), It.IsAny<CancellationToken>())).ReturnsAsync(assembled);

        var body = "<CompleteMultipartUpload>" + string.Concat(parts.Select((p, i) =>
            $"<Part><PartNumber>{i + 1}</PartNumber><ETag>{Gateway.Core.Objects.ETag.FromHash(p.Hash)}</ETag></Part>")) + "</CompleteMultipartUpload>";
        var r = await h.SendAsync("POST", $"/data/dir/obj.bin?uploadId={_uploadId}", body);

        Assert.Equal(200, r.Status);
        Assert.Contains("<CompleteMultipartUploadResult", r.Body, StringComparison.Ordinal);
        Assert.Contains("<ETag>" + Gateway.Core.Objects.ETag.FromHash(assembled.Hash) + "</ETag>", r.Body, StringComparison.Ordinal);
        Assert.Equal("bbbbbbbbbbbb4bbbbbbbbbbbbbbbbbbb", r.Headers["x-amz-version-id"].ToString());
        Assert.Equal(
        [
            "delete /dir/obj.bin",
            $"copy /dir/obj.bin <- _s3gateway_uploads@aaaaaaaaaaaa4aaaaaaaaaaaaaaaaaaa:{parts[0].File.Path} append=False",
            $"copy /dir/obj.bin <- _s3gateway_uploads@aaaaaaaaaaaa4aaaaaaaaaaaaaaaaaaa:{parts[1].File.Path} append=True",
            $"copy /dir/obj.bin <- _s3gateway_uploads@aaaaaaaaaaaa4aaaaaaaaaaaaaaaaaaa:{parts[2].File.Path} append=True",
        ], calls);
        h.Pach.Verify(p => p.ModifyFileAsync(_master.Head, It.IsAny<Func<IModifyFileWriter, Task>>(), It.IsAny<CancellationToken>()), Times.Once);
        h.Pach.Verify(p => p.ModifyFileAsync(UploadLayout.Head, It.IsAny<Func<IModifyFileWriter, Task>>(), It.IsAny<CancellationToken>()), Times.Once);
        cleanup.Verify(w => w.DeleteFileAsync(_uploadDir, It.IsAny<CancellationToken>()), Times.Once);
        h.Pach.Verify(p => p.GetFileAsync(It.IsAny<FileRef>(), It.IsAny<long>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Complete_WrongETag_InvalidPartAndNoWrite()
    {
        var h = new HandlerHarness();
        SetupUploadExists(h);
        h.Pach.Setup(p => p.GlobFileAsync(UploadLayout.Head, _uploadDir + "parts/*/*", It.IsAny<PathRange>(), It.IsAny<CancellationToken>()))
            .Returns(() => Pfs.Stream([PartFile(1, 10)]));
        var r = await h.SendAsync("POST", $"/data/dir/obj.bin?uploadId={_uploadId}",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"nope\"</ETag></Part></CompleteMultipartUpload>");
        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidPart", r.ErrorCode);
        h.Pach.Verify(p => p.ModifyFileAsync(It.IsAny<CommitRef>(), It.IsAny<Func<IModifyFileWriter, Task>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task UploadPart_OneModifyFile_DeletesPartDirectoryThenAddsFile()
    {
        var h = new HandlerHarness();
        SetupUploadExists(h);
        var writer = new Mock<IModifyFileWriter>(MockBehavior.Strict);
        var seq = new MockSequence();
        string? added = null;
        writer.InSequence(seq).Setup(w => w.DeleteFileAsync(_uploadDir + "parts/00007/", It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        writer.InSequence(seq).Setup(w => w.AddFileAsync(It.IsAny<string>(), It.IsAny<Stream>(), It.IsAny<CancellationToken>()))
            .Callback((string path, Stream _, CancellationToken _) => added = path).Returns(Task.CompletedTask);
        h.Pach.Setup(p => p.ModifyFileAsync(UploadLayout.Head, It.IsAny<Func<IModifyFileWriter, Task>>(), It.IsAny<CancellationToken>()))
            .Returns((CommitRef _, Func<IModifyFileWriter, Task> write, CancellationToken _) => write(writer.Object));
        h.Pach.Setup(p => p.InspectFileAsync(It.Is<FileRef>(f => f.Path == added), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Pfs.File(added!, 5));

        var r = await h.SendAsync("PUT", $"/data/dir/obj.bin?uploadId={_uploadId}&partNumber=7", "hello");

        Assert.Equal(200, r.Status);
        Assert.StartsWith(_uploadDir + "parts/00007/", added, StringComparison.Ordinal);
        Assert.EndsWith("-1\"", r.Headers.ETag.ToString(), StringComparison.Ordinal);
        h.Pach.Verify(p => p.ModifyFileAsync(It.IsAny<CommitRef>(), It.IsAny<Func<IModifyFileWriter, Task>>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    [InlineData("x")]
    public async Task UploadPart_BadPartNumber_InvalidArgument(string partNumber)
    {
        var h = new HandlerHarness();
        var r = await h.SendAsync("PUT", $"/data/k?uploadId={_uploadId}&partNumber={partNumber}", "x");
        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidArgument", r.ErrorCode);
    }

    [Fact]
    public async Task Abort_UnknownUpload_NoSuchUploadWithoutWrites()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.GlobFileAsync(UploadLayout.Head, It.IsAny<string>(), null, It.IsAny<CancellationToken>()))
            .Throws(new PachException(PachErrorKind.RepoNotFound, Grpc.Core.StatusCode.NotFound, "repo _s3gateway_uploads not found"));
        var r = await h.SendAsync("DELETE", $"/data/dir/obj.bin?uploadId={_uploadId}");
        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchUpload", r.ErrorCode);
    }

    [Fact]
    public async Task Create_FirstUse_CreatesUploadsRepoThenWritesManifest()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        var attempts = 0;
        string? manifest = null;
        var writer = new Mock<IModifyFileWriter>(MockBehavior.Strict);
        writer.Setup(w => w.AddFileAsync(It.IsAny<string>(), It.IsAny<ReadOnlyMemory<byte>>(), It.IsAny<CancellationToken>()))
            .Callback((string path, ReadOnlyMemory<byte> _, CancellationToken _) => manifest = path).Returns(Task.CompletedTask);
        h.Pach.Setup(p => p.ModifyFileAsync(UploadLayout.Head, It.IsAny<Func<IModifyFileWriter, Task>>(), It.IsAny<CancellationToken>()))
            .Returns((CommitRef _, Func<IModifyFileWriter, Task> write, CancellationToken _) =>
                ++attempts == 1 ? throw new PachException(PachErrorKind.RepoNotFound, Grpc.Core.StatusCode.NotFound, "not found") : write(writer.Object));
        h.Pach.Setup(p => p.CreateRepoAsync(UploadLayout.Repo, It.IsAny<string>(), true, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        h.Pach.Setup(p => p.InspectBranchAsync(UploadLayout.Branch, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PachException(PachErrorKind.BranchNotFound, Grpc.Core.StatusCode.NotFound, "branch not found"));
        h.Pach.Setup(p => p.CreateBranchAsync(UploadLayout.Branch, null, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var r = await h.SendAsync("POST", "/data/dir/obj.bin?uploads");

        Assert.Equal(200, r.Status);
        var id = r.Body[(r.Body.IndexOf("<UploadId>", StringComparison.Ordinal) + 10)..r.Body.IndexOf("</UploadId>", StringComparison.Ordinal)];
        Assert.True(UploadIds.IsValid(id));
        Assert.StartsWith("/uploads/default/data/master/" + UploadLayout.EncodeKey("dir/obj.bin") + "/" + id + "/manifest-", manifest, StringComparison.Ordinal);
        h.Pach.Verify(p => p.CreateBranchAsync(UploadLayout.Branch, null, It.IsAny<CancellationToken>()), Times.Once);
    }
}
