using Gateway.Core.Service;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;

namespace Gateway.Core.Tests.Service;

[Collection(PachdCollection.Name)]
public sealed class ListBucketsOperationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Fact]
    public async Task ListBuckets_EveryBranchNamedSortedAndInternalReposHidden()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.Client.CreateBranchAsync(new BranchRef(RepoRef.InDefault(repo), "dev"));
        var project = "p" + Guid.NewGuid().ToString("N")[..8];
        await pachd.Client.CreateProjectAsync(project);
        await pachd.Client.CreateRepoAsync(new RepoRef(project, "imgs"));
        await pachd.Client.CreateBranchAsync(new BranchRef(new RepoRef(project, "imgs"), "main"));
        await pachd.Client.CreateRepoAsync(RepoRef.InDefault("_s3gateway_hidden"), update: true);

        var r = await new ListBucketsOperation(string.Empty).RunAsync(await _gateway.CallAsync("GET", "/"));

        var names = (await r.XmlAsync()).All("Name");
        Assert.Contains($"dev.{repo}", names);
        Assert.Contains($"master.{repo}", names);
        Assert.Contains($"main.imgs.{project}", names);
        Assert.DoesNotContain(names, n => n.Contains("_s3gateway", StringComparison.Ordinal));
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.All((await r.XmlAsync()).All("BucketRegion"), region => Assert.Equal("us-east-1", region));
    }

    [Fact]
    public async Task ListBuckets_MaxBucketsAndPrefix_PagedInNameOrder()
    {
        var stem = "pg" + Guid.NewGuid().ToString("N")[..8];
        foreach (var name in new[] { "a", "b", "c" })
        {
            await pachd.Client.CreateRepoAsync(RepoRef.InDefault(stem + name));
            await pachd.Client.CreateBranchAsync(new BranchRef(RepoRef.InDefault(stem + name), "master"));
        }

        var names = new List<string>();
        string? token = null;
        do
        {
            var target = $"/?max-buckets=2&prefix=master.{stem}" + (token is null ? string.Empty : "&continuation-token=" + Uri.EscapeDataString(token));
            var page = await (await new ListBucketsOperation(string.Empty).RunAsync(await _gateway.CallAsync("GET", target))).XmlAsync();
            names.AddRange(page.All("Name"));
            Assert.Equal($"master.{stem}", page.One("Prefix"));
            token = page.Element("ContinuationToken")?.Value;
        }
        while (token is not null);

        Assert.Equal([$"master.{stem}a", $"master.{stem}b", $"master.{stem}c"], names);
    }
}
