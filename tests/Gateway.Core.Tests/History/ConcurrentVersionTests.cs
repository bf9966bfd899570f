using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Tests.Support;

namespace Gateway.Core.Tests.History;

/// <summary>
/// Versions, ETags and removals stay right when writers and removers run at the same time: with LocalPachd naming each
/// write's commit, and as against pachd (which does not), where the gateway finds it in the history.
/// </summary>
[Collection(PachdCollection.Name)]
public sealed class ConcurrentVersionTests(PachdServer pachd)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Put_ManyKeysAtOnce_EachAnswersItsOwnVersion(bool asPachd)
    {
        var gateway = Gateway(asPachd);
        var repo = await pachd.NewRepoAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i => (Key: $"k{i:D2}", Version: await gateway.PutAsync(repo, $"k{i:D2}", $"v{i}"))));
        var deleted = await Task.WhenAll(answers.Take(6).Select(async a => (a.Key, Marker: await gateway.DeleteAsync(repo, a.Key))));

        var listed = Versions.Entries((await gateway.ListAsync(repo)).Xml);
        foreach (var (key, version) in answers)
        {
            Assert.Contains(listed, v => v.Key == key && v.VersionId == version && !v.IsDeleteMarker);
        }

        foreach (var (key, marker) in deleted)
        {
            Assert.Contains(listed, v => v.Key == key && v.VersionId == marker && v.IsDeleteMarker);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Put_OneKeyAtOnceSameSizes_EveryVersionHasItsOwnMd5(bool asPachd)
    {
        var gateway = Gateway(asPachd);
        var repo = await pachd.NewRepoAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => gateway.PutAsync(repo, "same", $"writer {i:D2}")));

        var listed = Versions.Entries((await gateway.ListAsync(repo)).Xml);
        Assert.Equal(answers.Order(), listed.Select(v => v.VersionId).Order());
        foreach (var version in listed)
        {
            var read = await gateway.SendAsync("GET", $"/{repo}/same?versionId={version.VersionId}");
            var md5 = "\"" + Convert.ToHexStringLower(MD5.HashData(read.Body)) + "\"";
            Assert.Equal(md5, version.ETag);
            Assert.Equal(version.ETag, read.Headers.ETag.ToString());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Remove_EveryVersionAtOnce_KeysGoneAndBucketDeletable(bool asPachd)
    {
        var gateway = Gateway(asPachd);
        var repo = await pachd.NewRepoAsync();
        var keys = Enumerable.Range(0, 6).Select(i => $"k{i}").ToList();
        foreach (var key in keys)
        {
            await gateway.PutAsync(repo, key, "one");
            await gateway.DeleteAsync(repo, key);
            await gateway.PutAsync(repo, key, "two");
        }

        var all = Versions.Entries((await gateway.ListAsync(repo)).Xml);
        var removals = await Task.WhenAll(all.Select(v => gateway.SendAsync("DELETE", $"/{repo}/{v.Key}?versionId={v.VersionId}")));

        Assert.All(removals, r => Assert.Equal(204, r.Status));
        Assert.Empty(Versions.Entries((await gateway.ListAsync(repo)).Xml));
        Assert.Empty((await gateway.SendAsync("GET", $"/{repo}?list-type=2")).Xml.Elements("Contents"));
        Assert.Equal(204, (await gateway.SendAsync("DELETE", $"/master.{repo}")).Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Remove_OlderVersionsAtOnceBeforeAnyListing_NoneComesBack(bool asPachd)
    {
        var gateway = Gateway(asPachd);
        var repo = await pachd.NewRepoAsync();
        var firsts = new List<(string Key, string Version)>();
        for (var i = 0; i < 8; i++)
        {
            firsts.Add(($"k{i}", await gateway.PutAsync(repo, $"k{i}", "one")));
            await gateway.PutAsync(repo, $"k{i}", "two");
        }

        await Task.WhenAll(firsts.Select(f => gateway.SendAsync("DELETE", $"/{repo}/{f.Key}?versionId={f.Version}")));

        var listed = Versions.Entries((await gateway.ListAsync(repo)).Xml);
        Assert.Equal(8, listed.Count);
        Assert.DoesNotContain(listed, v => firsts.Any(f => f.Version == v.VersionId));
    }

    private Support.Gateway Gateway(bool asPachd) => new(asPachd ? PachProxy.AsPachd(pachd.Client) : pachd.Client);
}
