using Gateway.Core.Listing;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Errors;

namespace Gateway.Core.Tests.Listing;

/// <summary>Listings over a real LocalPachd tree, recording the calls made to it: each page resumes at pachd.</summary>
[Collection(PachdCollection.Name)]
public sealed class ObjectListerTests(PachdServer pachd)
{
    private readonly List<PachCall> _calls = [];

    /// <summary>A repo holding <paramref name="paths"/> (one commit) and a recording client for it.</summary>
    private async Task<(IPachClient Pach, CommitRef Head)> TreeAsync(params string[] paths)
    {
        var repo = await pachd.NewRepoAsync();
        var head = new BranchRef(RepoRef.InDefault(repo), "master").Head;
        await pachd.Client.ModifyFileAsync(head, async w =>
        {
            foreach (var p in paths)
            {
                await w.AddFileAsync(p, "x"u8.ToArray());
            }
        });
        return (PachProxy.Wrap(pachd.Client, _calls), head);
    }

    private List<PathRange> GlobRanges() =>
        [.. _calls.Where(c => c.Method == nameof(IPachClient.GlobFileAsync)).Select(c => (PathRange)c.Args[2]!)];

    [Fact]
    public async Task ListAsync_NoDelimiter_SkipsDirectoriesAndStripsLeadingSlash()
    {
        var (pach, head) = await TreeAsync("/a", "/d/x", "/e");
        var page = await ObjectLister.ListAsync(pach, head, new ListObjectsQuery("", null, null, 1000), default);
        Assert.Equal(["a", "d/x", "e"], page.Objects.Select(o => o.Key));
        Assert.False(page.IsTruncated);
        Assert.Single(GlobRanges());
    }

    [Fact]
    public async Task ListAsync_Marker_ResumesAtPachdAfterTheMarker()
    {
        var (pach, head) = await TreeAsync("/k0001", "/k0002", "/k0003", "/k0004");
        var page = await ObjectLister.ListAsync(pach, head, new ListObjectsQuery("", null, "k0002", 1), default);

        Assert.Equal("/k0002", Assert.Single(GlobRanges()).Lower);
        Assert.Equal(["k0003"], page.Objects.Select(o => o.Key));
        Assert.True(page.IsTruncated);
        Assert.Equal("k0003", page.LastEntry);
    }

    [Fact]
    public async Task ListAsync_Prefix_BoundsTheRangeAbove()
    {
        var (pach, head) = await TreeAsync("/a1", "/b1", "/b2", "/c1");
        var page = await ObjectLister.ListAsync(pach, head, new ListObjectsQuery("b", null, null, 10), default);
        Assert.Equal(["b1", "b2"], page.Objects.Select(o => o.Key));
        var range = Assert.Single(GlobRanges());
        Assert.Equal(("/b", "/c"), (range.Lower, range.Upper));
    }

    [Fact]
    public async Task ListAsync_PagesThroughEverything_EachPageStartsAtItsMarker()
    {
        var keys = Enumerable.Range(0, 25).Select(i => $"/f{i:D3}").ToArray();
        var (pach, head) = await TreeAsync(keys);
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await ObjectLister.ListAsync(pach, head, new ListObjectsQuery("", null, after, 10), default);
            seen.AddRange(page.Objects.Select(o => o.Key));
            after = page.IsTruncated ? page.LastEntry : null;
        }
        while (after is not null);

        Assert.Equal(keys.Select(k => k[1..]), seen);
        Assert.Equal(["/", "/f009", "/f019"], GlobRanges().Select(r => r.Lower));
    }

    [Fact]
    public async Task ListAsync_CustomDelimiter_GroupsAndRestartsPastEachCommonPrefix()
    {
        var (pach, head) = await TreeAsync("/a-1", "/a-2", "/a-3", "/b", "/c-1");
        var page = await ObjectLister.ListAsync(pach, head, new ListObjectsQuery("", "-", null, 1000), default);

        Assert.Equal(["a-", "c-"], page.CommonPrefixes);
        Assert.Equal(["b"], page.Objects.Select(o => o.Key));

        // One scan, a restart past "a-" and one past "c-": keys inside a common prefix are never walked.
        Assert.Equal(["/", "/a.", "/c."], GlobRanges().Select(r => r.Lower));
    }

    [Fact]
    public async Task ListAsync_SlashDelimiterWithPrefixNotEndingInSlash_Groups()
    {
        var (pach, head) = await TreeAsync("/photos/2020/a", "/photos/2021/b", "/photosx", "/pz");
        var page = await ObjectLister.ListAsync(pach, head, new ListObjectsQuery("photos", "/", null, 1000), default);
        Assert.Equal(["photos/"], page.CommonPrefixes);
        Assert.Equal(["photosx"], page.Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task ListAsync_MarkerIsACommonPrefix_SkipsThatPrefix()
    {
        var (pach, head) = await TreeAsync("/a-1", "/a-2", "/b-1", "/c");
        var page = await ObjectLister.ListAsync(pach, head, new ListObjectsQuery("", "-", "a-", 1), default);
        Assert.Equal(["b-"], page.CommonPrefixes);
        Assert.True(page.IsTruncated);
    }

    [Fact]
    public async Task ListAsync_SlashDelimiter_UsesListFileWithPaginationMarker()
    {
        var (pach, head) = await TreeAsync("/docs/a.txt", "/docs/b.txt", "/docs/c/x", "/docs/d.txt");

        var page = await ObjectLister.ListAsync(pach, head, new ListObjectsQuery("docs/", "/", "docs/a.txt", 2), default);

        var list = Assert.Single(_calls, c => c.Method == nameof(IPachClient.ListFileAsync));
        Assert.Equal("/docs/", ((FileRef)list.Args[0]!).Path);
        Assert.Equal("/docs/a.txt", list.Args[1]);
        Assert.Equal(4L, list.Args[2]);
        Assert.DoesNotContain(_calls, c => c.Method == nameof(IPachClient.GlobFileAsync));
        Assert.Equal(["docs/b.txt"], page.Objects.Select(o => o.Key));
        Assert.Equal(["docs/c/"], page.CommonPrefixes);
        Assert.True(page.IsTruncated);
        Assert.Equal("docs/c/", page.LastEntry);
    }

    [Fact]
    public async Task ListAsync_MissingDirectory_EmptyPage()
    {
        var (pach, head) = await TreeAsync("/a");
        var page = await ObjectLister.ListAsync(pach, head, new ListObjectsQuery("nope/", "/", null, 10), default);
        Assert.Equal(0, page.Count);
    }

    [Fact]
    public async Task ListAsync_MaxKeysZero_NoCallEmptyPage()
    {
        var (pach, head) = await TreeAsync("/a");
        var page = await ObjectLister.ListAsync(pach, head, new ListObjectsQuery("", null, null, 0), default);
        Assert.Equal(0, page.Count);
        Assert.False(page.IsTruncated);
        Assert.Empty(_calls);
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("a/", "a0")]
    [InlineData("ab~", "ab\u007f")]
    [InlineData("", null)]
    public void Successor_Prefix_NextString(string prefix, string? expected) => Assert.Equal(expected, ObjectLister.Successor(prefix));

    [Theory]
    [InlineData("")]
    [InlineData("some/key with spaces")]
    [InlineData("k\u00e9y")]
    public void ContinuationToken_RoundTrip(string key) => Assert.Equal(key, ContinuationToken.Decode(ContinuationToken.Encode(key)));

    [Theory]
    [InlineData("not base64 !!")]
    [InlineData("Zm9v")]
    public void ContinuationToken_Foreign_InvalidArgument(string token)
    {
        var e = Assert.Throws<S3Exception>(() => ContinuationToken.Decode(token));
        Assert.Equal("InvalidArgument", e.Error.Code);
    }
}
