using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Integration.Tests;

/// <summary>Listing over 2,500 keys written in one commit straight through pachd (the subject is listing, not PUT).</summary>
[Collection(AuthOffCollection.Name)]
[Trait("Host", "Any")]
public sealed class AwsSdkListingTests(AuthOffFixture fx) : IAsyncLifetime
{
    private const int _keyCount = 2500;
    private readonly string _repo = GatewayFixture.NewName("lst");
    private readonly List<string> _keys = Enumerable.Range(0, _keyCount).Select(i => $"d{i % 5}/f{i:D4}").Order(StringComparer.Ordinal).ToList();

    private string Bucket => "master." + _repo;

    public async Task InitializeAsync()
    {
        using var s3 = fx.Aws();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = _repo });
        await fx.Pach.ModifyFileAsync(new BranchRef(RepoRef.InDefault(_repo), "master").Head, async w =>
        {
            foreach (var key in _keys)
            {
                await w.AddFileAsync("/" + key, "x"u8.ToArray());
            }
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ListObjectsV2_Paginator_EveryKeyOnceInOrder()
    {
        using var s3 = fx.Aws();
        var keys = new List<string>();
        var pages = 0;
        await foreach (var page in s3.Paginators.ListObjectsV2(new ListObjectsV2Request { BucketName = Bucket }).Responses)
        {
            pages++;
            keys.AddRange(page.S3Objects.Select(o => o.Key));
            Assert.Equal(page.S3Objects.Count, page.KeyCount);
        }

        Assert.Equal(3, pages);
        Assert.Equal(_keys, keys);
    }

    [Fact]
    public async Task ListObjectsV2_StartAfterAndSmallPages_ResumesExactly()
    {
        using var s3 = fx.Aws();
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, MaxKeys = 333, StartAfter = "d2/f2000", ContinuationToken = token });
            keys.AddRange(page.S3Objects.Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        Assert.Equal(_keys.Where(k => string.CompareOrdinal(k, "d2/f2000") > 0), keys);
    }

    [Fact]
    public async Task ListObjectsV1_MarkerPagination_EveryKey()
    {
        using var s3 = fx.Aws();
        var keys = new List<string>();
        string? marker = null;
        ListObjectsResponse page;
        do
        {
            page = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = Bucket, MaxKeys = 700, Marker = marker });
            keys.AddRange(page.S3Objects.Select(o => o.Key));
            marker = page.S3Objects.LastOrDefault()?.Key;
        }
        while (page.IsTruncated == true);

        Assert.Equal(_keys, keys);
    }

    [Theory]
    [InlineData("", "/", 1000)]
    [InlineData("d3/", "/", 200)]
    [InlineData("d0/", "f1", 1000)]
    [InlineData("d1/f0", "0", 7)]
    [InlineData("d", "/", 2)]
    public async Task ListObjectsV2_Delimiters_MatchS3Semantics(string prefix, string delimiter, int pageSize)
    {
        using var s3 = fx.Aws();
        var objects = new List<string>();
        var prefixes = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, Delimiter = delimiter, MaxKeys = pageSize, ContinuationToken = token });
            objects.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            prefixes.AddRange(page.CommonPrefixes ?? []);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        var (expectedObjects, expectedPrefixes) = Expected(prefix, delimiter);
        Assert.Equal(expectedObjects, objects);
        Assert.Equal(expectedPrefixes, prefixes);
    }

    [Fact]
    public async Task ListObjectsV1_DelimiterTruncated_NextMarkerIsLastEntry()
    {
        using var s3 = fx.Aws();
        var page = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = Bucket, Delimiter = "/", MaxKeys = 2 });
        Assert.True(page.IsTruncated);
        Assert.Equal(["d0/", "d1/"], page.CommonPrefixes);
        Assert.Equal("d1/", page.NextMarker);
        var next = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = Bucket, Delimiter = "/", MaxKeys = 2, Marker = page.NextMarker });
        Assert.Equal(["d2/", "d3/"], next.CommonPrefixes);
    }

    [Fact]
    public async Task ListObjectsV2_UrlEncoding_KeysEncoded()
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        var xml = await http.GetStringAsync($"/{Bucket}?list-type=2&max-keys=1&encoding-type=url&prefix=d0%2F");
        Assert.Contains("<Key>d0/f0000</Key>", xml, StringComparison.Ordinal);
        Assert.Contains("<EncodingType>url</EncodingType>", xml, StringComparison.Ordinal);
    }

    private (List<string> Objects, List<string> Prefixes) Expected(string prefix, string delimiter)
    {
        var objects = new List<string>();
        var prefixes = new List<string>();
        foreach (var key in _keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var at = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            if (at < 0)
            {
                objects.Add(key);
            }
            else
            {
                var cp = key[..(at + delimiter.Length)];
                if (prefixes.Count == 0 || prefixes[^1] != cp)
                {
                    prefixes.Add(cp);
                }
            }
        }

        return (objects, prefixes);
    }
}
