using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;

namespace Gateway.Core.Tests.History;

[Collection(PachdCollection.Name)]
public sealed class ListObjectVersionsOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    private static string Md5ETag(string content) => "\"" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content))) + "\"";

    [Fact]
    public async Task Versions_WriteWriteDeleteWrite_NewestFirstWithDeleteMarkerAndMd5ETags()
    {
        var repo = await pachd.NewRepoAsync();
        string[] keys = ["a", "odd key+é/x (1)"];
        var written = new Dictionary<string, List<(string Id, string? Content)>>();
        foreach (var key in keys)
        {
            var v1 = await _gateway.PutAsync(repo, key, key + "-one");
            var v2 = await _gateway.PutAsync(repo, key, key + "-two!");
            var d = await _gateway.DeleteAsync(repo, key);
            var v3 = await _gateway.PutAsync(repo, key, key + "-three");
            written[key] = [(v3, key + "-three"), (d, null), (v2, key + "-two!"), (v1, key + "-one")];
        }

        var listed = Versions.Entries((await _gateway.ListAsync(repo)).Xml);

        var expected = keys.Order(StringComparer.Ordinal).SelectMany(k => written[k].Select((v, i) => new ListedVersion(
            k, v.Id, i == 0, v.Content is null, v.Content is null ? null : Md5ETag(v.Content), v.Content is null ? null : Encoding.UTF8.GetByteCount(v.Content)))).ToList();
        Assert.Equal(expected, listed);
    }

    [Fact]
    public async Task Versions_AreTheCommitsPachdReports()
    {
        var repo = await pachd.NewRepoAsync();
        var c1 = await pachd.PutAsync(repo, "/k", "by pachctl");
        await pachd.PutAsync(repo, "/other", "x");
        var c3 = await pachd.PutAsync(repo, "/k", "changed");
        var commits = await pachd.Client.ListCommitsAsync(RepoRef.InDefault(repo), new BranchRef(RepoRef.InDefault(repo), "master").Head).Select(c => c.Commit.Id).ToListAsync();

        var listed = Versions.Entries((await _gateway.ListAsync(repo, "prefix=k")).Xml);

        Assert.Equal([c3, c1], listed.Select(v => v.VersionId));
        Assert.All(listed, v => Assert.Contains(v.VersionId, commits));
        Assert.All(listed, v => Assert.EndsWith("-1\"", v.ETag));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task Versions_Paged_SameAsOnePage(int maxKeys)
    {
        var repo = await pachd.NewRepoAsync();
        for (var round = 0; round < 4; round++)
        {
            await pachd.Client.ModifyFileAsync(new BranchRef(RepoRef.InDefault(repo), "master").Head, async w =>
            {
                for (var i = 0; i < 5; i++)
                {
                    await w.AddFileAsync($"/dir/k{i}", Encoding.UTF8.GetBytes($"{round}"));
                }
            });
            await _gateway.PutAsync(repo, $"top{round % 2}", $"r{round}");
        }

        var all = Versions.Entries((await _gateway.ListAsync(repo)).Xml);
        var (paged, _, pages) = await _gateway.ListAllAsync(repo, maxKeys);

        Assert.Equal(5 * 4 + 4, all.Count);
        Assert.Equal(all, paged);
        Assert.Equal((all.Count + maxKeys - 1) / maxKeys, pages);
    }

    [Fact]
    public async Task Versions_DelimiterAndPrefix_CommonPrefixesOnceAcrossPages()
    {
        var repo = await pachd.NewRepoAsync();
        foreach (var key in new[] { "p/a/1", "p/a/2", "p/b", "p/c/1", "q" })
        {
            await _gateway.PutAsync(repo, key, "1");
            await _gateway.PutAsync(repo, key, "2");
        }

        var one = await _gateway.ListAsync(repo, "prefix=p%2F&delimiter=%2F");
        var (entries, prefixes, _) = await _gateway.ListAllAsync(repo, 1, "&prefix=p%2F&delimiter=%2F");

        Assert.Equal(["p/a/", "p/c/"], one.Xml.Elements("CommonPrefixes").Select(p => p.Element("Prefix")!.Value));
        Assert.Equal(["p/b", "p/b"], Versions.Entries(one.Xml).Select(v => v.Key));
        Assert.Equal(["p/a/", "p/c/"], prefixes);
        Assert.Equal(Versions.Entries(one.Xml), entries);
    }

    [Fact]
    public async Task Versions_VersionIdMarkerWithoutKeyMarker_InvalidArgument()
    {
        var repo = await pachd.NewRepoAsync();
        var v = await _gateway.PutAsync(repo, "k", "x");

        var r = await _gateway.SendAsync("GET", $"/{repo}?versions&version-id-marker={v}");

        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidArgument", r.ErrorCode);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("0123456789ab4def0123456789abcdef")]
    public async Task Versions_UnknownVersionIdMarker_InvalidArgument(string marker)
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.PutAsync(repo, "k", "x");

        var r = await _gateway.SendAsync("GET", $"/{repo}?versions&key-marker=k&version-id-marker={marker}");

        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidArgument", r.ErrorCode);
    }

    [Fact]
    public async Task Versions_MissingBucket_NoSuchBucket()
    {
        var r = await _gateway.SendAsync("GET", "/master.nosuchrepo55?versions");

        Assert.Equal("NoSuchBucket", r.ErrorCode);
    }

    [Fact]
    public async Task Versions_EncodingTypeUrl_KeysEncoded()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.PutAsync(repo, "a b", "x");

        var r = await _gateway.ListAsync(repo, "encoding-type=url");

        Assert.Equal("a%20b", r.Xml.Element("Version")!.Element("Key")!.Value);
        Assert.Equal("url", r.Xml.Element("EncodingType")!.Value);
    }

    [Fact]
    public async Task Versions_SecondListing_DiffsOnlyTheNewCommits()
    {
        var repo = await pachd.NewRepoAsync();
        for (var i = 0; i < 20; i++)
        {
            await pachd.PutAsync(repo, $"/k{i % 3}", $"v{i}");
        }

        var commits = await pachd.CommitCountAsync(repo);
        var calls = new List<PachCall>();
        var counted = new Support.Gateway(PachProxy.Wrap(pachd.Client, calls));
        await counted.ListAsync(repo);
        var first = calls.Count(c => c.Method == nameof(IPachClient.DiffFileAsync));
        await pachd.PutAsync(repo, "/k1", "new");
        calls.Clear();
        var after = Versions.Entries((await counted.ListAsync(repo)).Xml);
        var second = calls.Count(c => c.Method == nameof(IPachClient.DiffFileAsync));
        calls.Clear();
        await counted.ListAsync(repo);

        Assert.Equal(commits, first);
        Assert.Equal(1, second);
        Assert.Equal(0, calls.Count(c => c.Method == nameof(IPachClient.DiffFileAsync)));
        Assert.Equal(21, after.Count);
    }

    [Fact]
    public async Task Open_WithAHeadOlderThanTheIndex_NoRebuild()
    {
        var repo = await pachd.NewRepoAsync();
        var master = new BranchRef(RepoRef.InDefault(repo), "master");
        await _gateway.PutAsync(repo, "k", "one");
        var stale = await pachd.Client.InspectBranchAsync(master);
        await _gateway.PutAsync(repo, "k", "two");
        await _gateway.ListAsync(repo);

        var calls = new List<PachCall>();
        var bucket = new Gateway.Core.Naming.BucketAddress(RepoRef.DefaultProject, repo, "master", null);
        await Gateway.Core.History.VersionHistory.OpenAsync(PachProxy.Wrap(pachd.Client, calls), bucket, stale, CancellationToken.None);

        Assert.DoesNotContain(calls, c => c.Method is nameof(IPachClient.DiffFileAsync) or nameof(IPachClient.ModifyFileAsync));
    }

    [Fact]
    public async Task Versions_BranchMovedBack_HistoryRebuilt()
    {
        var repo = await pachd.NewRepoAsync();
        var c1 = await pachd.PutAsync(repo, "/k", "one");
        await pachd.PutAsync(repo, "/k", "two");
        await pachd.PutAsync(repo, "/gone", "x");
        Assert.Equal(3, Versions.Entries((await _gateway.ListAsync(repo)).Xml).Count);

        var master = new BranchRef(RepoRef.InDefault(repo), "master");
        await pachd.Client.CreateBranchAsync(master, CommitRef.ById(master.Repo, c1));
        var listed = Versions.Entries((await _gateway.ListAsync(repo)).Xml);

        Assert.Equal([new ListedVersion("k", c1, true, false, listed[0].ETag, 3)], listed);
    }

    [Fact]
    public async Task Versions_ReadOnlyCaller_CompleteFromMemoryAndNothingStored()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.PutAsync(repo, "k", "one");
        await _gateway.ListAsync(repo);
        var v2 = await _gateway.PutAsync(repo, "k", "two");
        var denied = new PachException(PachErrorKind.NotAuthorized, Grpc.Core.StatusCode.PermissionDenied, "not authorized");
        var readOnly = new Support.Gateway(PachProxy.Failing(pachd.Client, nameof(IPachClient.ModifyFileAsync), denied));

        var listed = Versions.Entries((await readOnly.ListAsync(repo)).Xml);
        var read = await readOnly.SendAsync("GET", $"/{repo}/k?versionId={v2}");

        Assert.Equal(2, listed.Count);
        Assert.Equal(v2, listed[0].VersionId);
        Assert.Equal(Md5ETag("two"), listed[0].ETag);
        Assert.Equal(200, read.Status);
        var cursor = await pachd.ReadAsync(repo, "/history/cursor", "_s3gateway_master");
        Assert.DoesNotContain(v2, cursor);
    }

    [Fact]
    public async Task Versions_CommitBucket_HistoryUpToThatCommit()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await _gateway.PutAsync(repo, "k", "one");
        var v2 = await _gateway.PutAsync(repo, "k", "two");
        await _gateway.PutAsync(repo, "k", "three");
        await _gateway.PutAsync(repo, "later", "x");

        var listed = Versions.Entries((await _gateway.ListAsync($"{v2}.master.{repo}")).Xml);

        Assert.Equal([(v2, true), (v1, false)], listed.Select(v => (v.VersionId, v.IsLatest)));
    }
}
