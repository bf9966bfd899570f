using Gateway.Core.Objects;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Objects;

[Collection(PachdCollection.Name)]
public sealed class PutObjectOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Fact]
    public async Task Put_Body_OneCommitWithETagVersionAndEchoedChecksum()
    {
        var repo = await pachd.NewRepoAsync();
        var before = await pachd.CommitCountAsync(repo);

        var r = await _gateway.SendAsync("PUT", $"/{repo}/dir/x.bin", "hello", new Dictionary<string, string> { ["x-amz-checksum-crc32"] = "NhCmhg==" });

        Assert.Equal(200, r.Status);
        Assert.Equal(before + 1, await pachd.CommitCountAsync(repo));
        Assert.Equal("hello", await pachd.ReadAsync(repo, "/dir/x.bin"));
        var info = await pachd.Client.InspectFileAsync(new FileRef(new BranchRef(RepoRef.InDefault(repo), "master").Head, "/dir/x.bin"));
        Assert.Equal("\"5d41402abc4b2a76b9719d911017c592\"", r.Headers.ETag.ToString());
        Assert.Equal(info.File.Commit.Id, r.Headers["x-amz-version-id"].ToString());
        Assert.Equal("NhCmhg==", r.Headers["x-amz-checksum-crc32"].ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Put_SameAnswerWhetherOrNotTheServerDescribesTheWrittenFile(bool asPachd)
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.SendAsync("PUT", $"/{repo}/photos/cat.jpg", "old");
        var calls = new List<PachCall>();
        var client = PachProxy.Wrap(asPachd ? PachProxy.AsPachd(pachd.Client) : pachd.Client, calls);

        var r = await new Support.Gateway(client).SendAsync("PUT", $"/{repo}/photos/cat.jpg", "meow", new Dictionary<string, string> { ["x-amz-meta-owner"] = "tom" });

        Assert.Equal(200, r.Status);
        var md5ETag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("meow"u8)) + "\"";
        Assert.Equal(md5ETag, r.Headers.ETag.ToString());
        var head = await pachd.Client.InspectBranchAsync(new BranchRef(RepoRef.InDefault(repo), "master"));
        Assert.Equal(head.Head.Id, r.Headers["x-amz-version-id"].ToString());
        var got = await _gateway.SendAsync("GET", $"/{repo}/photos/cat.jpg");
        Assert.Equal("meow", got.Text);
        Assert.Equal(md5ETag, got.Headers.ETag.ToString()); // the record was written: it holds the MD5 ETag and the metadata
        Assert.Equal("tom", got.Headers["x-amz-meta-owner"].ToString());
        Assert.Equal(head.Head.Id, got.Headers["x-amz-version-id"].ToString());
        // LocalPachd describes the file the ModifyFile wrote; against pachd the gateway inspects it (or searches).
        var modify = calls.FindIndex(c => c.Method == nameof(IPachClient.ModifyFileDescribedAsync));
        Assert.True(modify >= 0);
        var inspectsAfter = calls.Skip(modify + 1).Count(c => c.Method == nameof(IPachClient.InspectFileAsync));
        // The key is a file already, so its ancestors are directories: nothing more to inspect before the write.
        Assert.Equal(1, calls.Take(modify).Count(c => c.Method == nameof(IPachClient.LookUpPathAsync)));
        // The branch head is read before the write only where the write's commit may have to be searched for (pachd).
        Assert.Equal(asPachd ? 1 : 0, calls.Take(modify).Count(c => c.Method == nameof(IPachClient.InspectBranchAsync)));
        Assert.DoesNotContain(calls.Take(modify), c => c.Method == nameof(IPachClient.InspectFileAsync));
        if (asPachd)
        {
            Assert.True(inspectsAfter > 0 || calls.Exists(c => c.Method == nameof(IPachClient.DiffFileAsync)));
        }
        else
        {
            Assert.Equal(0, inspectsAfter);
        }
    }

    [Fact]
    public async Task Put_ServerNamesItsCommit_NoHistorySearched()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.SendAsync("PUT", $"/{repo}/k", "old");
        var calls = new List<PachCall>();
        var counted = new Support.Gateway(PachProxy.Wrap(pachd.Client, calls));

        var r = await counted.SendAsync("PUT", $"/{repo}/k", "new");

        Assert.Equal(200, r.Status);
        var head = await pachd.Client.InspectBranchAsync(new BranchRef(RepoRef.InDefault(repo), "master"));
        Assert.Equal(head.Head.Id, r.Headers["x-amz-version-id"].ToString());
        Assert.DoesNotContain(calls, c => c.Method is nameof(IPachClient.ListCommitsAsync) or nameof(IPachClient.DiffFileAsync));
    }

    [Fact]
    public async Task Put_ChecksumMismatch_BadDigestAndNothingCommitted()
    {
        var repo = await pachd.NewRepoAsync();
        var before = await pachd.CommitCountAsync(repo);

        var r = await _gateway.SendAsync("PUT", $"/{repo}/k", "hello", new Dictionary<string, string> { ["x-amz-checksum-crc32"] = "AAAAAA==" });

        Assert.Equal(400, r.Status);
        Assert.Equal("BadDigest", r.ErrorCode);
        Assert.Equal(before, await pachd.CommitCountAsync(repo));
        Assert.Null(await pachd.ReadAsync(repo, "/k"));
    }

    [Theory]
    [InlineData("caf%C3%A9", "/caf~C3~A9", "café")]
    [InlineData("a+b", "/a'2Bb", "a+b")]
    [InlineData("photo%20(1).jpg", "/photo '281'29.jpg", "photo (1).jpg")]
    [InlineData("it's", "/it'27s", "it's")]
    public async Task Put_AnyKey_StoredAtItsEncodedPathAndListedUnderItsName(string rawKey, string path, string key)
    {
        var repo = await pachd.NewRepoAsync();

        var put = await _gateway.SendAsync("PUT", $"/{repo}/{rawKey}", "content");
        var get = await _gateway.SendAsync("GET", $"/{repo}/{rawKey}");
        var list = await _gateway.SendAsync("GET", $"/{repo}?list-type=2");

        Assert.Equal(200, put.Status);
        Assert.Equal("content", await pachd.ReadAsync(repo, path));
        Assert.Equal("content", get.Text);
        Assert.Equal([key], list.Xml.Descendants("Key").Select(k => k.Value));
    }

    [Theory]
    [InlineData("x/../y")]
    [InlineData("a%2F%2Fb")]
    [InlineData("tab%09key")]
    public async Task Put_KeyPfsCannotRepresent_InvalidArgumentWithoutCommit(string rawKey)
    {
        var repo = await pachd.NewRepoAsync();
        var before = await pachd.CommitCountAsync(repo);

        var r = await _gateway.SendAsync("PUT", $"/{repo}/{rawKey}", "x");

        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidArgument", r.ErrorCode);
        Assert.Equal("key", r.Xml.Element("ArgumentName")!.Value);
        Assert.Equal(before, await pachd.CommitCountAsync(repo));
    }

    /// <summary>
    /// A missing repo or branch is NoSuchBucket and nothing is written, also once the client knows that the server
    /// names the commits writes create and so no longer inspects the branch before a PUT.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Put_MissingBucket_NoSuchBucket(bool asPachd)
    {
        var repo = await pachd.NewRepoAsync();
        var client = asPachd ? PachProxy.AsPachd(pachd.Client) : pachd.Client;
        var gateway = new Support.Gateway(client);
        Assert.Equal(200, (await gateway.SendAsync("PUT", $"/{repo}/first", "x")).Status);
        Assert.Equal(!asPachd, client.NamesCreatedCommits);
        var before = await pachd.CommitCountAsync(repo);

        var missingRepo = await gateway.SendAsync("PUT", "/master.nosuchrepo42/k", "x");
        var missingBranch = await gateway.SendAsync("PUT", $"/nosuchbranch.{repo}/k", "x");

        foreach (var r in new[] { missingRepo, missingBranch })
        {
            Assert.Equal(404, r.Status);
            Assert.Equal("NoSuchBucket", r.ErrorCode);
        }

        Assert.Equal(before, await pachd.CommitCountAsync(repo));
    }

    [Fact]
    public async Task Put_FolderMarker_200WithTheEmptyObjectsMd5AndNothingWritten()
    {
        var repo = await pachd.NewRepoAsync();
        var before = await pachd.CommitCountAsync(repo);

        var r = await _gateway.SendAsync("PUT", $"/{repo}/folder/", "");

        Assert.Equal(200, r.Status);
        Assert.Equal("\"d41d8cd98f00b204e9800998ecf8427e\"", r.Headers.ETag.ToString());
        Assert.Equal(before, await pachd.CommitCountAsync(repo));
    }

    [Fact]
    public async Task Put_FolderMarkerWithData_InvalidArgument()
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("PUT", $"/{repo}/folder/", "data");

        Assert.Equal("InvalidArgument", r.ErrorCode);
    }

    [Fact]
    public async Task Put_IfNoneMatchStarOnExistingKey_412AndKept()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/k", "original");

        var r = await _gateway.SendAsync("PUT", $"/{repo}/k", "new", new Dictionary<string, string> { ["If-None-Match"] = "*" });

        Assert.Equal(412, r.Status);
        Assert.Equal("original", await pachd.ReadAsync(repo, "/k"));
    }

    [Fact]
    public async Task Put_DeclaredLargerThanTheLimit_EntityTooLargeBeforeReading()
    {
        var repo = await pachd.NewRepoAsync();
        var gateway = new Support.Gateway(pachd.Client, new GatewayOptions { AuthModeCacheSeconds = 0, MaxObjectSize = 4 });

        var r = await gateway.SendAsync("PUT", $"/{repo}/k", "12345");

        Assert.Equal(400, r.Status);
        Assert.Equal("EntityTooLarge", r.ErrorCode);
        Assert.Equal("5", r.Xml.Element("ProposedSize")!.Value);
        Assert.Equal("4", r.Xml.Element("MaxSizeAllowed")!.Value);
    }

    [Theory]
    [InlineData("a/b", "a")]
    [InlineData("a", "a/b/c")]
    [InlineData("x/y", "x/y/z")]
    public async Task Put_FileAndDirectoryOfOneName_SecondRefusedAndFirstKept(string first, string second)
    {
        var repo = await pachd.NewRepoAsync();
        Assert.Equal(200, (await _gateway.SendAsync("PUT", $"/{repo}/{first}", "first")).Status);
        var before = await pachd.CommitCountAsync(repo);

        var r = await _gateway.SendAsync("PUT", $"/{repo}/{second}", "second");

        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidArgument", r.ErrorCode);
        Assert.Equal(before, await pachd.CommitCountAsync(repo));
        Assert.Equal("first", (await _gateway.SendAsync("GET", $"/{repo}/{first}")).Text);
    }

    /// <summary>
    /// A key below an object is refused, naming that object, whether the server names a missing key's nearest existing
    /// ancestor (LocalPachd: one lookup, no InspectFile) or not (pachd: one InspectFile per ancestor up to the object).
    /// </summary>
    [Theory]
    [InlineData(false, "x/y", "x/y/z/w", 0)]
    [InlineData(true, "x/y", "x/y/z/w", 2)]
    [InlineData(false, "s*t/u!", "s*t/u!/v", 0)]
    [InlineData(true, "s*t/u!", "s*t/u!/v", 1)]
    public async Task Put_BelowAnObject_RefusedNamingIt(bool asPachd, string first, string second, int inspections)
    {
        var repo = await pachd.NewRepoAsync();
        Assert.Equal(200, (await _gateway.SendAsync("PUT", $"/{repo}/{first}", "first")).Status);
        var before = await pachd.CommitCountAsync(repo);
        var calls = new List<PachCall>();
        var client = PachProxy.Wrap(asPachd ? PachProxy.AsPachd(pachd.Client) : pachd.Client, calls);

        var r = await new Support.Gateway(client).SendAsync("PUT", $"/{repo}/{second}", "second");

        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidArgument", r.ErrorCode);
        Assert.Contains($"The object '{first}' exists", r.Xml.Element("Message")!.Value, StringComparison.Ordinal);
        Assert.Equal(before, await pachd.CommitCountAsync(repo));
        Assert.Equal(inspections, calls.Count(c => c.Method == nameof(IPachClient.InspectFileAsync)));
    }

    /// <summary>A new key below existing directories costs one lookup against LocalPachd, no InspectFile of its parents.</summary>
    [Fact]
    public async Task Put_NewKeyBelowDirectories_OneLookupBeforeTheWrite()
    {
        var repo = await pachd.NewRepoAsync();
        Assert.Equal(200, (await _gateway.SendAsync("PUT", $"/{repo}/a/b/one", "1")).Status);
        var calls = new List<PachCall>();

        var r = await new Support.Gateway(PachProxy.Wrap(pachd.Client, calls)).SendAsync("PUT", $"/{repo}/a/b/two", "2");

        Assert.Equal(200, r.Status);
        var modify = calls.FindIndex(c => c.Method == nameof(IPachClient.ModifyFileDescribedAsync));
        Assert.Equal(1, calls.Take(modify).Count(c => c.Method == nameof(IPachClient.LookUpPathAsync)));
        Assert.DoesNotContain(calls.Take(modify), c => c.Method == nameof(IPachClient.InspectFileAsync));
    }
}
