using System.Text;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using Moq;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Tests.Dispatch;

public sealed class GatewayHandlerTests
{
    private static readonly BranchRef _master = new(RepoRef.InDefault("data"), "master");

    [Fact]
    public async Task HandleAsync_UnsignedWithAuthOn_AccessDenied()
    {
        var h = new HandlerHarness(authActive: true);
        var r = await h.SendAsync("GET", "/");
        Assert.Equal(403, r.Status);
        Assert.Equal("AccessDenied", r.ErrorCode);
        Assert.False(string.IsNullOrEmpty(r.Headers["x-amz-request-id"]));
    }

    [Fact]
    public async Task HandleAsync_ListBuckets_EveryBranchNamedAndInternalReposHidden()
    {
        var h = new HandlerHarness();
        var repos = new[]
        {
            Repo("default", "data", "master", "dev"),
            Repo("proj", "imgs", "main"),
            Repo("default", "_s3gateway_multipart_", "master"),
        };
        h.Pach.Setup(p => p.ListReposAsync("user", null, It.IsAny<CancellationToken>())).Returns(Pfs.Stream(repos));

        var r = await h.SendAsync("GET", "/");

        Assert.Equal(200, r.Status);
        Assert.Contains("<Name>dev.data</Name>", r.Body, StringComparison.Ordinal);
        Assert.Contains("<Name>master.data</Name>", r.Body, StringComparison.Ordinal);
        Assert.Contains("<Name>main.imgs.proj</Name>", r.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("_s3gateway", r.Body, StringComparison.Ordinal);
        Assert.True(r.Body.IndexOf("dev.data", StringComparison.Ordinal) < r.Body.IndexOf("main.imgs.proj", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/a.b.c.d/key")]
    [InlineData("/bad!name")]
    public async Task HandleAsync_InvalidBucketName_400(string target)
    {
        var r = await new HandlerHarness().SendAsync("GET", target);
        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidBucketName", r.ErrorCode);
    }

    [Fact]
    public async Task HandleAsync_InternalRepoBucket_NoSuchBucket()
    {
        var r = await new HandlerHarness().SendAsync("GET", "/master._s3gateway_multipart_?list-type=2");
        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchBucket", r.ErrorCode);
    }

    [Theory]
    [InlineData("POST", "/data/key?uploads")]
    [InlineData("GET", "/data?versions")]
    [InlineData("GET", "/data?acl")]
    [InlineData("PUT", "/data/key?partNumber=1&uploadId=x")]
    public async Task HandleAsync_Unsupported_501(string method, string target)
    {
        var r = await new HandlerHarness().SendAsync(method, target);
        Assert.Equal(501, r.Status);
        Assert.Equal("NotImplemented", r.ErrorCode);
    }

    [Fact]
    public async Task HandleAsync_UnexpectedException_GenericInternalError()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("db password is hunter2"));
        var r = await h.SendAsync("HEAD", "/data");
        Assert.Equal(500, r.Status);
        var get = await h.SendAsync("GET", "/data?location");
        Assert.Equal("InternalError", get.ErrorCode);
        Assert.DoesNotContain("hunter2", get.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteObjects_ManyKeys_OneModifyFileWithEveryDelete()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        var writer = new Mock<IModifyFileWriter>(MockBehavior.Strict);
        var deleted = new List<string>();
        writer.Setup(w => w.DeleteFileAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string p, CancellationToken _) => deleted.Add(p)).Returns(Task.CompletedTask);
        h.Pach.Setup(p => p.ModifyFileAsync(_master.Head, It.IsAny<Func<IModifyFileWriter, Task>>(), It.IsAny<CancellationToken>()))
            .Returns((CommitRef _, Func<IModifyFileWriter, Task> write, CancellationToken _) => write(writer.Object));

        var body = new StringBuilder("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        foreach (var k in new[] { "a", "dir/b", "dir/", "c+d", "a" })
        {
            body.Append("<Object><Key>").Append(k).Append("</Key></Object>");
        }

        body.Append("</Delete>");
        var r = await h.SendAsync("POST", "/data?delete", body.ToString());

        Assert.Equal(200, r.Status);
        h.Pach.Verify(p => p.ModifyFileAsync(It.IsAny<CommitRef>(), It.IsAny<Func<IModifyFileWriter, Task>>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(["/a", "/dir/b"], deleted);
        Assert.Equal(5, CountOf(r.Body, "<Deleted>"));
    }

    [Fact]
    public async Task DeleteObjects_Quiet_OnlyErrorsListed()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        h.Pach.Setup(p => p.ModifyFileAsync(_master.Head, It.IsAny<Func<IModifyFileWriter, Task>>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var r = await h.SendAsync("POST", "/data?delete", "<Delete><Quiet>true</Quiet><Object><Key>a</Key></Object><Object><Key>b</Key><VersionId>0123</VersionId></Object></Delete>");
        Assert.Equal(200, r.Status);
        Assert.DoesNotContain("<Deleted>", r.Body, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(r.Body, "<Error>"));
    }

    [Theory]
    [InlineData("not xml")]
    [InlineData("<Delete></Delete>")]
    [InlineData("<Other><Object><Key>a</Key></Object></Other>")]
    [InlineData("<!DOCTYPE x [<!ENTITY e \"boom\">]><Delete><Object><Key>&e;</Key></Object></Delete>")]
    public async Task DeleteObjects_BadBody_MalformedXml(string body)
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        var r = await h.SendAsync("POST", "/data?delete", body);
        Assert.Equal(400, r.Status);
        Assert.Equal("MalformedXML", r.ErrorCode);
    }

    [Fact]
    public async Task DeleteObjects_Over1000Keys_MalformedXml()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        var body = "<Delete>" + string.Concat(Enumerable.Range(0, 1001).Select(i => $"<Object><Key>k{i}</Key></Object>")) + "</Delete>";
        var r = await h.SendAsync("POST", "/data?delete", body);
        Assert.Equal("MalformedXML", r.ErrorCode);
    }

    [Fact]
    public async Task GetObject_Range_206FromOffsetAndStopsAfterLength()
    {
        var h = new HandlerHarness();
        var info = Pfs.File("/f.txt", size: 10, commitId: "0123456789ab4def0123456789abcdef");
        h.Pach.Setup(p => p.InspectFileAsync(new FileRef(_master.Head, "/f.txt"), It.IsAny<CancellationToken>())).ReturnsAsync(info);
        long offset = -1;
        h.Pach.Setup(p => p.GetFileAsync(It.IsAny<FileRef>(), It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .Returns((FileRef f, long o, CancellationToken _) =>
            {
                offset = o;
                Assert.Equal("0123456789ab4def0123456789abcdef", f.Commit.Id);
                return Task.FromResult<Stream>(new MemoryStream(Encoding.ASCII.GetBytes("0123456789")[(int)o..]));
            });

        var r = await h.SendAsync("GET", "/data/f.txt", headers: new Dictionary<string, string> { ["Range"] = "bytes=2-4" });

        Assert.Equal(206, r.Status);
        Assert.Equal(2, offset);
        Assert.Equal("234", r.Body);
        Assert.Equal("bytes 2-4/10", r.Headers.ContentRange.ToString());
        Assert.Equal("text/plain", r.Headers.ContentType.ToString());
        Assert.Equal("0123456789ab4def0123456789abcdef", r.Headers["x-amz-version-id"].ToString());
        Assert.EndsWith("-1\"", r.Headers.ETag.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bytes=10-")]
    [InlineData("bytes=-0")]
    public async Task GetObject_UnsatisfiableRange_416WithSize(string range)
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectFileAsync(It.IsAny<FileRef>(), It.IsAny<CancellationToken>())).ReturnsAsync(Pfs.File("/f", size: 10));
        var r = await h.SendAsync("GET", "/data/f", headers: new Dictionary<string, string> { ["Range"] = range });
        Assert.Equal(416, r.Status);
        Assert.Equal("InvalidRange", r.ErrorCode);
        Assert.Equal("bytes */10", r.Headers.ContentRange.ToString());
    }

    [Fact]
    public async Task HeadObject_InspectOnly_NeverDownloads()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectFileAsync(It.IsAny<FileRef>(), It.IsAny<CancellationToken>())).ReturnsAsync(Pfs.File("/big.bin", size: 1L << 40));
        var r = await h.SendAsync("HEAD", "/data/big.bin");
        Assert.Equal(200, r.Status);
        Assert.Equal(1L << 40, r.Headers.ContentLength);
        h.Pach.Verify(p => p.GetFileAsync(It.IsAny<FileRef>(), It.IsAny<long>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("If-None-Match", "MATCH", 304)]
    [InlineData("If-Match", "\"nope-1\"", 412)]
    [InlineData("If-Modified-Since", "Sat, 01 Jan 2039 00:00:00 GMT", 304)]
    [InlineData("If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT", 412)]
    public async Task HeadObject_Conditionals_Status(string header, string value, int status)
    {
        var h = new HandlerHarness();
        var info = Pfs.File("/f", size: 3);
        h.Pach.Setup(p => p.InspectFileAsync(It.IsAny<FileRef>(), It.IsAny<CancellationToken>())).ReturnsAsync(info);
        if (value == "MATCH")
        {
            value = Objects.ETagOf(info);
        }

        var r = await h.SendAsync("HEAD", "/data/f", headers: new Dictionary<string, string> { [header] = value });
        Assert.Equal(status, r.Status);
    }

    [Fact]
    public async Task GetObject_MissingFileAndBranch_NoSuchBucket()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectFileAsync(It.IsAny<FileRef>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PachException(PachErrorKind.FileNotFound, StatusCode.NotFound, "file not found"));
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PachException(PachErrorKind.BranchNotFound, StatusCode.NotFound, "branch not found"));
        var r = await h.SendAsync("GET", "/data/f");
        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchBucket", r.ErrorCode);
    }

    [Fact]
    public async Task GetObject_MissingFile_NoSuchKey()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectFileAsync(It.IsAny<FileRef>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PachException(PachErrorKind.FileNotFound, StatusCode.NotFound, "file not found"));
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        var r = await h.SendAsync("GET", "/data/f");
        Assert.Equal("NoSuchKey", r.ErrorCode);
    }

    [Fact]
    public async Task GetObject_UnknownVersionId_NoSuchVersion()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectFileAsync(It.Is<FileRef>(f => f.Commit.Id == "0123456789ab4def0123456789abcdef"), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PachException(PachErrorKind.CommitNotFound, StatusCode.NotFound, "commit not found"));
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        var r = await h.SendAsync("GET", "/data/f?versionId=0123456789ab4def0123456789abcdef");
        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchVersion", r.ErrorCode);
    }

    [Fact]
    public async Task PutObject_Body_OnePutFileOnBranchHeadThenETagAndVersion()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        string? written = null;
        h.Pach.Setup(p => p.PutFileAsync(_master.Head, "/dir/x.bin", It.IsAny<Stream>(), It.IsAny<CancellationToken>()))
            .Returns(async (CommitRef _, string _, Stream s, CancellationToken ct) => written = await new StreamReader(s).ReadToEndAsync(ct));
        var info = Pfs.File("/dir/x.bin", size: 5, commitId: "fedcba9876544321fedcba9876543210");
        h.Pach.Setup(p => p.InspectFileAsync(new FileRef(_master.Head, "/dir/x.bin"), It.IsAny<CancellationToken>())).ReturnsAsync(info);

        var r = await h.SendAsync("PUT", "/data/dir/x.bin", "hello", new Dictionary<string, string> { ["x-amz-checksum-crc32"] = "NhCmhg==" });

        Assert.Equal(200, r.Status);
        Assert.Equal("hello", written);
        Assert.Equal(Objects.ETagOf(info), r.Headers.ETag.ToString());
        Assert.Equal("fedcba9876544321fedcba9876543210", r.Headers["x-amz-version-id"].ToString());
        Assert.Equal("NhCmhg==", r.Headers["x-amz-checksum-crc32"].ToString());
    }

    [Theory]
    [InlineData("/data/caf%C3%A9")]
    [InlineData("/data/a+b")]
    [InlineData("/data/x/../y")]
    public async Task PutObject_KeyPfsCannotHold_InvalidArgument(string target)
    {
        var r = await new HandlerHarness().SendAsync("PUT", target, "x");
        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidArgument", r.ErrorCode);
    }

    [Fact]
    public async Task PutObject_MissingBranch_NoSuchBucketAndNothingWritten()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PachException(PachErrorKind.BranchNotFound, StatusCode.NotFound, "branch not found"));
        var r = await h.SendAsync("PUT", "/data/k", "x");
        Assert.Equal("NoSuchBucket", r.ErrorCode);
        h.Pach.Verify(p => p.PutFileAsync(It.IsAny<CommitRef>(), It.IsAny<string>(), It.IsAny<Stream>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task PutObject_FolderMarker_NothingWritten200()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        var r = await h.SendAsync("PUT", "/data/folder/", "");
        Assert.Equal(200, r.Status);
        h.Pach.Verify(p => p.PutFileAsync(It.IsAny<CommitRef>(), It.IsAny<string>(), It.IsAny<Stream>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task DeleteObject_Missing_204WithoutCommit()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectFileAsync(It.IsAny<FileRef>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PachException(PachErrorKind.FileNotFound, StatusCode.NotFound, "file not found"));
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        var r = await h.SendAsync("DELETE", "/data/gone");
        Assert.Equal(204, r.Status);
        h.Pach.Verify(p => p.ModifyFileAsync(It.IsAny<CommitRef>(), It.IsAny<Func<IModifyFileWriter, Task>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CreateBucket_RepoAndBranchExist_BucketAlreadyOwnedByYou()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.CreateRepoAsync(_master.Repo, null, false, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PachException(PachErrorKind.AlreadyExists, StatusCode.AlreadyExists, "exists"));
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        var r = await h.SendAsync("PUT", "/data");
        Assert.Equal(409, r.Status);
        Assert.Equal("BucketAlreadyOwnedByYou", r.ErrorCode);
    }

    [Fact]
    public async Task CreateBucket_RepoExistsBranchNew_CreatesBranch()
    {
        var h = new HandlerHarness();
        var dev = new BranchRef(_master.Repo, "dev");
        h.Pach.Setup(p => p.CreateRepoAsync(_master.Repo, null, false, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PachException(PachErrorKind.AlreadyExists, StatusCode.AlreadyExists, "exists"));
        h.Pach.Setup(p => p.InspectBranchAsync(dev, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PachException(PachErrorKind.BranchNotFound, StatusCode.NotFound, "nope"));
        h.Pach.Setup(p => p.CreateBranchAsync(dev, null, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var r = await h.SendAsync("PUT", "/dev.data");
        Assert.Equal(200, r.Status);
        h.Pach.Verify(p => p.CreateBranchAsync(dev, null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task DeleteBucket_HasFiles_BucketNotEmpty()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        h.Pach.Setup(p => p.WalkFileAsync(It.IsAny<FileRef>(), null, 2, It.IsAny<CancellationToken>()))
            .Returns(Pfs.Stream(new[] { Pfs.File("/"), Pfs.File("/a") }.Select(f => { if (f.File.Path == "/") { f.FileType = FileType.Dir; } return f; })));
        var r = await h.SendAsync("DELETE", "/data");
        Assert.Equal(409, r.Status);
        Assert.Equal("BucketNotEmpty", r.ErrorCode);
    }

    [Fact]
    public async Task DeleteBucket_CommitPinned_InvalidRequestBranchKept()
    {
        var h = new HandlerHarness();
        var r = await h.SendAsync("DELETE", "/0123456789ab4def0123456789abcdef.master.data");
        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidRequest", r.ErrorCode);
        h.Pach.Verify(p => p.DeleteBranchAsync(It.IsAny<BranchRef>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task DeleteBucket_EmptyLastBranch_DeletesBranchAndRepo()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.InspectBranchAsync(_master, It.IsAny<CancellationToken>())).ReturnsAsync(new BranchInfo());
        h.Pach.Setup(p => p.WalkFileAsync(It.IsAny<FileRef>(), null, 2, It.IsAny<CancellationToken>())).Returns(Pfs.Stream(Array.Empty<FileInfo>()));
        h.Pach.Setup(p => p.DeleteBranchAsync(_master, false, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        h.Pach.Setup(p => p.InspectRepoAsync(_master.Repo, It.IsAny<CancellationToken>())).ReturnsAsync(new RepoInfo());
        h.Pach.Setup(p => p.DeleteRepoAsync(_master.Repo, false, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var r = await h.SendAsync("DELETE", "/data");
        Assert.Equal(204, r.Status);
        h.Pach.Verify(p => p.DeleteRepoAsync(_master.Repo, false, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ListObjectsV2_Truncated_NextContinuationTokenResumesAfterLastKey()
    {
        var h = new HandlerHarness();
        h.Pach.Setup(p => p.GlobFileAsync(_master.Head, "/**", It.IsAny<PathRange?>(), It.IsAny<CancellationToken>()))
            .Returns(Pfs.Stream(new[] { "/a", "/b", "/c" }.Select(p => Pfs.File(p))));
        var r = await h.SendAsync("GET", "/data?list-type=2&max-keys=2");
        Assert.Equal(200, r.Status);
        Assert.Contains("<KeyCount>2</KeyCount>", r.Body, StringComparison.Ordinal);
        Assert.Contains("<IsTruncated>true</IsTruncated>", r.Body, StringComparison.Ordinal);
        var token = Between(r.Body, "<NextContinuationToken>", "</NextContinuationToken>");
        Assert.Equal("b", Core.Listing.ContinuationToken.Decode(token));
    }

    private static int CountOf(string s, string what) => (s.Length - s.Replace(what, string.Empty, StringComparison.Ordinal).Length) / what.Length;

    private static string Between(string s, string a, string b)
    {
        var i = s.IndexOf(a, StringComparison.Ordinal) + a.Length;
        return s[i..s.IndexOf(b, i, StringComparison.Ordinal)];
    }

    private static RepoInfo Repo(string project, string name, params string[] branches)
    {
        var info = new RepoInfo
        {
            Repo = new Repo { Name = name, Type = "user", Project = new Project { Name = project } },
            Created = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddDays(1)),
        };
        info.Branches.AddRange(branches.Select(b => new Branch { Name = b, Repo = info.Repo }));
        return info;
    }
}

internal static class Objects
{
    public static string ETagOf(FileInfo info) => Core.Objects.ETag.FromHash(info.Hash);
}
