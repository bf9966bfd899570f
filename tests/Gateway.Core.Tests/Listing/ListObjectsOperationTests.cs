using Gateway.Core.Listing;
using Gateway.Core.Tests.Support;

namespace Gateway.Core.Tests.Listing;

[Collection(PachdCollection.Name)]
public sealed class ListObjectsOperationTests(PachdServer pachd)
{
    private static readonly ListObjectsOperation _v1 = new(v2: false);
    private static readonly ListObjectsOperation _v2 = new(v2: true);

    private readonly Support.Gateway _gateway = new(pachd.Client);

    private async Task<string> RepoWithAsync(params string[] paths)
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.Client.ModifyFileAsync(new Pachyderm.BranchRef(Pachyderm.RepoRef.InDefault(repo), "master").Head, async w =>
        {
            foreach (var p in paths)
            {
                await w.AddFileAsync(p, "x"u8.ToArray());
            }
        });
        return repo;
    }

    [Fact]
    public async Task V2_Truncated_TokenResumesAfterTheLastKey()
    {
        var repo = await RepoWithAsync("/a", "/b", "/c");

        var first = await (await _v2.RunAsync(await _gateway.CallAsync("GET", $"/{repo}?list-type=2&max-keys=2"))).XmlAsync();
        var token = first.One("NextContinuationToken");
        var second = await (await _v2.RunAsync(await _gateway.CallAsync("GET", $"/{repo}?list-type=2&max-keys=2&continuation-token={Uri.EscapeDataString(token)}"))).XmlAsync();

        Assert.Equal(["a", "b"], first.All("Key"));
        Assert.Equal("2", first.One("KeyCount"));
        Assert.Equal("true", first.One("IsTruncated"));
        Assert.Equal(["c"], second.All("Key"));
        Assert.Equal("false", second.One("IsTruncated"));
        Assert.Empty(second.All("NextContinuationToken"));
    }

    [Fact]
    public async Task V1_Delimiter_CommonPrefixesAndNextMarker()
    {
        var repo = await RepoWithAsync("/a/1", "/a/2", "/b", "/c/1");

        var page = await (await _v1.RunAsync(await _gateway.CallAsync("GET", $"/{repo}?delimiter=%2F&max-keys=2"))).XmlAsync();

        Assert.Equal(["a/"], page.Elements("CommonPrefixes").Select(e => e.Element("Prefix")!.Value));
        Assert.Equal(["b"], page.All("Key"));
        Assert.Equal("true", page.One("IsTruncated"));
        Assert.Equal("b", page.One("NextMarker"));
    }

    [Fact]
    public async Task V2_StartAfterAndPrefix_OnlyLaterKeysUnderThePrefix()
    {
        var repo = await RepoWithAsync("/p/1", "/p/2", "/p/3", "/q");

        var page = await (await _v2.RunAsync(await _gateway.CallAsync("GET", $"/{repo}?list-type=2&prefix=p%2F&start-after=p%2F1"))).XmlAsync();

        Assert.Equal(["p/2", "p/3"], page.All("Key"));
        Assert.Equal("p/1", page.One("StartAfter"));
    }

    [Fact]
    public async Task V2_OwnerOnlyWithFetchOwner()
    {
        var repo = await RepoWithAsync("/a");

        var without = await (await _v2.RunAsync(await _gateway.CallAsync("GET", $"/{repo}?list-type=2"))).XmlAsync();
        var with = await (await _v2.RunAsync(await _gateway.CallAsync("GET", $"/{repo}?list-type=2&fetch-owner=true"))).XmlAsync();

        Assert.Empty(without.All("Owner"));
        Assert.Single(with.All("Owner"));
    }

    [Fact]
    public async Task List_EncodingTypeUrl_KeysEncoded()
    {
        var repo = await RepoWithAsync("/a b/c");

        var page = await (await _v2.RunAsync(await _gateway.CallAsync("GET", $"/{repo}?list-type=2&encoding-type=url"))).XmlAsync();

        Assert.Equal("url", page.One("EncodingType"));
        Assert.Equal(["a%20b/c"], page.All("Key"));
    }

    [Fact]
    public async Task List_MissingBucket_NoSuchBucket()
    {
        var r = await _gateway.SendAsync("GET", "/nosuchrepo8?list-type=2");

        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchBucket", r.ErrorCode);
    }
}
