using Gateway.Core.Listing;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Errors;
using Moq;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Tests.Listing;

public sealed class ObjectListerTests
{
    private static readonly CommitRef _head = new BranchRef(RepoRef.InDefault("r"), "master").Head;

    /// <summary>A fake GlobFile over a sorted tree that honours path_range like pachd, recording every range asked for.</summary>
    private static Mock<IPachClient> Tree(List<PathRange> ranges, params string[] paths)
    {
        var sorted = paths.Order(StringComparer.Ordinal).ToArray();
        var pach = new Mock<IPachClient>(MockBehavior.Strict);
        pach.Setup(p => p.GlobFileAsync(_head, "/**", It.IsAny<PathRange?>(), It.IsAny<CancellationToken>()))
            .Returns((CommitRef _, string _, PathRange? range, CancellationToken _) =>
            {
                ranges.Add(range!);
                return Pfs.Stream(sorted
                    .Where(p => range is null || string.CompareOrdinal(p, range.Lower) >= 0)
                    .Where(p => range is null || range.Upper.Length == 0 || string.CompareOrdinal(p, range.Upper) < 0)
                    .Select(p => Pfs.File(p)));
            });
        return pach;
    }

    [Fact]
    public async Task ListAsync_NoDelimiter_SkipsDirectoriesAndStripsLeadingSlash()
    {
        var ranges = new List<PathRange>();
        var pach = Tree(ranges, "/a", "/d/", "/d/x", "/e");
        var page = await ObjectLister.ListAsync(pach.Object, _head, new ListObjectsQuery("", null, null, 1000), default);
        Assert.Equal(["a", "d/x", "e"], page.Objects.Select(o => o.Key));
        Assert.False(page.IsTruncated);
        Assert.Single(ranges);
    }

    [Fact]
    public async Task ListAsync_Marker_ResumesAtPachdAfterTheMarker()
    {
        var ranges = new List<PathRange>();
        var pach = Tree(ranges, "/k0001", "/k0002", "/k0003", "/k0004");
        var page = await ObjectLister.ListAsync(pach.Object, _head, new ListObjectsQuery("", null, "k0002", 1), default);

        Assert.Equal("/k0002", Assert.Single(ranges).Lower);
        Assert.Equal(["k0003"], page.Objects.Select(o => o.Key));
        Assert.True(page.IsTruncated);
        Assert.Equal("k0003", page.LastEntry);
    }

    [Fact]
    public async Task ListAsync_Prefix_BoundsTheRangeAbove()
    {
        var ranges = new List<PathRange>();
        var pach = Tree(ranges, "/a1", "/b1", "/b2", "/c1");
        var page = await ObjectLister.ListAsync(pach.Object, _head, new ListObjectsQuery("b", null, null, 10), default);
        Assert.Equal(["b1", "b2"], page.Objects.Select(o => o.Key));
        var range = Assert.Single(ranges);
        Assert.Equal(("/b", "/c"), (range.Lower, range.Upper));
    }

    [Fact]
    public async Task ListAsync_PagesThroughEverything_EachPageStartsAtItsMarker()
    {
        var ranges = new List<PathRange>();
        var keys = Enumerable.Range(0, 25).Select(i => $"/f{i:D3}").ToArray();
        var pach = Tree(ranges, keys);
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await ObjectLister.ListAsync(pach.Object, _head, new ListObjectsQuery("", null, after, 10), default);
            seen.AddRange(page.Objects.Select(o => o.Key));
            after = page.IsTruncated ? page.LastEntry : null;
        }
        while (after is not null);

        Assert.Equal(keys.Select(k => k[1..]), seen);
        Assert.Equal(["/", "/f009", "/f019"], ranges.Select(r => r.Lower));
    }

    [Fact]
    public async Task ListAsync_CustomDelimiter_GroupsAndRestartsPastEachCommonPrefix()
    {
        var ranges = new List<PathRange>();
        var pach = Tree(ranges, "/a-1", "/a-2", "/a-3", "/b", "/c-1");
        var page = await ObjectLister.ListAsync(pach.Object, _head, new ListObjectsQuery("", "-", null, 1000), default);

        Assert.Equal(["a-", "c-"], page.CommonPrefixes);
        Assert.Equal(["b"], page.Objects.Select(o => o.Key));

        // One scan, a restart past "a-" and one past "c-": keys inside a common prefix are never walked.
        Assert.Equal(["/", "/a.", "/c."], ranges.Select(r => r.Lower));
    }

    [Fact]
    public async Task ListAsync_SlashDelimiterWithPrefixNotEndingInSlash_Groups()
    {
        var ranges = new List<PathRange>();
        var pach = Tree(ranges, "/photos/2020/a", "/photos/2021/b", "/photosx", "/pz");
        var page = await ObjectLister.ListAsync(pach.Object, _head, new ListObjectsQuery("photos", "/", null, 1000), default);
        Assert.Equal(["photos/"], page.CommonPrefixes);
        Assert.Equal(["photosx"], page.Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task ListAsync_MarkerIsACommonPrefix_SkipsThatPrefix()
    {
        var ranges = new List<PathRange>();
        var pach = Tree(ranges, "/a-1", "/a-2", "/b-1", "/c");
        var page = await ObjectLister.ListAsync(pach.Object, _head, new ListObjectsQuery("", "-", "a-", 1), default);
        Assert.Equal(["b-"], page.CommonPrefixes);
        Assert.True(page.IsTruncated);
    }

    [Fact]
    public async Task ListAsync_SlashDelimiter_UsesListFileWithPaginationMarker()
    {
        var pach = new Mock<IPachClient>(MockBehavior.Strict);
        FileRef? dir = null;
        string? marker = null;
        long number = 0;
        pach.Setup(p => p.ListFileAsync(It.IsAny<FileRef>(), It.IsAny<string?>(), It.IsAny<long>(), false, It.IsAny<CancellationToken>()))
            .Returns((FileRef d, string? m, long n, bool _, CancellationToken _) =>
            {
                (dir, marker, number) = (d, m, n);
                return Pfs.Stream(new[] { "/docs/b.txt", "/docs/c/", "/docs/d.txt" }.Select(p => Pfs.File(p)));
            });

        var page = await ObjectLister.ListAsync(pach.Object, _head, new ListObjectsQuery("docs/", "/", "docs/a.txt", 2), default);

        Assert.Equal("/docs/", dir!.Path);
        Assert.Equal("/docs/a.txt", marker);
        Assert.Equal(4, number);
        Assert.Equal(["docs/b.txt"], page.Objects.Select(o => o.Key));
        Assert.Equal(["docs/c/"], page.CommonPrefixes);
        Assert.True(page.IsTruncated);
        Assert.Equal("docs/c/", page.LastEntry);
    }

    [Fact]
    public async Task ListAsync_MissingDirectory_EmptyPage()
    {
        var pach = new Mock<IPachClient>(MockBehavior.Strict);
        pach.Setup(p => p.ListFileAsync(It.IsAny<FileRef>(), It.IsAny<string?>(), It.IsAny<long>(), false, It.IsAny<CancellationToken>()))
            .Returns(Throwing());
        var page = await ObjectLister.ListAsync(pach.Object, _head, new ListObjectsQuery("nope/", "/", null, 10), default);
        Assert.Equal(0, page.Count);
    }

    [Fact]
    public async Task ListAsync_MaxKeysZero_NoCallEmptyPage()
    {
        var pach = new Mock<IPachClient>(MockBehavior.Strict);
        var page = await ObjectLister.ListAsync(pach.Object, _head, new ListObjectsQuery("", null, null, 0), default);
        Assert.Equal(0, page.Count);
        Assert.False(page.IsTruncated);
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

    private static async IAsyncEnumerable<FileInfo> Throwing()
    {
        await Task.Yield();
        throw new PachException(PachErrorKind.FileNotFound, Grpc.Core.StatusCode.NotFound, "file /nope/ not found");
#pragma warning disable CS0162 // makes this an iterator
        yield break;
#pragma warning restore CS0162
    }
}
