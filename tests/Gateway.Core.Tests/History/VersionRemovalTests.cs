using System.Text;
using Gateway.Core.Tests.Support;

namespace Gateway.Core.Tests.History;

[Collection(PachdCollection.Name)]
public sealed class VersionRemovalTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    private static string DeleteBody(params (string Key, string VersionId)[] objects)
    {
        var body = new StringBuilder("<Delete>");
        foreach (var (key, version) in objects)
        {
            body.Append($"<Object><Key>{key}</Key><VersionId>{version}</VersionId></Object>");
        }

        return body.Append("</Delete>").ToString();
    }

    [Fact]
    public async Task Remove_Newest_PreviousRestoredAndVersionGone()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await _gateway.PutAsync(repo, "k", "one", new Dictionary<string, string> { ["x-amz-meta-n"] = "1" });
        var v2 = await _gateway.PutAsync(repo, "k", "two");

        var r = await _gateway.SendAsync("DELETE", $"/{repo}/k?versionId={v2}");

        Assert.Equal(204, r.Status);
        Assert.Equal(v2, r.Headers["x-amz-version-id"].ToString());
        Assert.False(r.Headers.ContainsKey("x-amz-delete-marker"));
        var current = await _gateway.SendAsync("GET", $"/{repo}/k");
        Assert.Equal("one", current.Text);
        Assert.Equal("1", current.Headers["x-amz-meta-n"].ToString());
        Assert.Equal(v1, current.Headers["x-amz-version-id"].ToString());
        Assert.Equal([(v1, true)], Versions.Entries((await _gateway.ListAsync(repo)).Xml).Select(v => (v.VersionId, v.IsLatest)));
        Assert.Equal("NoSuchVersion", (await _gateway.SendAsync("GET", $"/{repo}/k?versionId={v2}")).ErrorCode);
        var listedETag = (await _gateway.SendAsync("GET", $"/{repo}?list-type=2")).Xml.Element("Contents")!.Element("ETag")!.Value;
        Assert.Equal(current.Headers.ETag.ToString(), listedETag);
    }

    [Fact]
    public async Task Remove_Older_HiddenWithoutACommitOnTheBranch()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await _gateway.PutAsync(repo, "k", "one");
        var v2 = await _gateway.PutAsync(repo, "k", "two");
        await _gateway.ListAsync(repo);
        var before = await pachd.CommitCountAsync(repo);

        var r = await _gateway.SendAsync("DELETE", $"/{repo}/k?versionId={v1}");

        Assert.Equal(204, r.Status);
        Assert.Equal(before, await pachd.CommitCountAsync(repo));
        Assert.Equal("two", await pachd.ReadAsync(repo, "/k"));
        Assert.Equal([v2], Versions.Entries((await _gateway.ListAsync(repo)).Xml).Select(v => v.VersionId));
    }

    [Fact]
    public async Task Remove_DeleteMarker_KeyComesBack()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await _gateway.PutAsync(repo, "k", "one");
        var marker = await _gateway.DeleteAsync(repo, "k");

        var r = await _gateway.SendAsync("DELETE", $"/{repo}/k?versionId={marker}");

        Assert.Equal(204, r.Status);
        Assert.Equal("true", r.Headers["x-amz-delete-marker"].ToString());
        Assert.Equal("one", await pachd.ReadAsync(repo, "/k"));
        Assert.Equal([(v1, true, false)], Versions.Entries((await _gateway.ListAsync(repo)).Xml).Select(v => (v.VersionId, v.IsLatest, v.IsDeleteMarker)));
    }

    [Fact]
    public async Task Remove_NewestAboveADeleteMarker_KeyReadsAsDeletedByThatMarker()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.PutAsync(repo, "k", "one");
        var marker = await _gateway.DeleteAsync(repo, "k");
        var v3 = await _gateway.PutAsync(repo, "k", "three");

        await _gateway.SendAsync("DELETE", $"/{repo}/k?versionId={v3}");
        var r = await _gateway.SendAsync("HEAD", $"/{repo}/k");

        Assert.Equal(404, r.Status);
        Assert.Equal("true", r.Headers["x-amz-delete-marker"].ToString());
        Assert.Equal(marker, r.Headers["x-amz-version-id"].ToString());
    }

    [Fact]
    public async Task Copy_FromADeleteMarker_InvalidRequestAndNothingWritten()
    {
        var repo = await pachd.NewRepoAsync();
        await _gateway.PutAsync(repo, "k", "one");
        var marker = await _gateway.DeleteAsync(repo, "k");

        var r = await _gateway.SendAsync("PUT", $"/{repo}/copy", headers: new Dictionary<string, string> { ["x-amz-copy-source"] = $"/master.{repo}/k?versionId={marker}" });

        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidRequest", r.ErrorCode);
        Assert.Null(await pachd.ReadAsync(repo, "/copy"));
    }

    [Fact]
    public async Task Remove_EveryVersionInOneBatch_KeysAbsentNothingListedOneCommit()
    {
        var repo = await pachd.NewRepoAsync();
        foreach (var key in new[] { "a", "b/c" })
        {
            await _gateway.PutAsync(repo, key, "1");
            await _gateway.DeleteAsync(repo, key);
            await _gateway.PutAsync(repo, key, "2");
        }

        var all = Versions.Entries((await _gateway.ListAsync(repo)).Xml);
        var before = await pachd.CommitCountAsync(repo);
        var r = await _gateway.SendAsync("POST", $"/{repo}?delete", DeleteBody([.. all.Select(v => (v.Key, v.VersionId))]));

        Assert.Equal(200, r.Status);
        Assert.Empty(r.Xml.Elements("Error"));
        Assert.Equal(all.Count, r.Xml.Elements("Deleted").Count());
        Assert.Equal(all.Count(v => v.IsDeleteMarker), r.Xml.Elements("Deleted").Count(d => d.Element("DeleteMarker")?.Value == "true"));
        Assert.Equal(before + 1, await pachd.CommitCountAsync(repo));
        Assert.Null(await pachd.ReadAsync(repo, "/a"));
        Assert.Null(await pachd.ReadAsync(repo, "/b/c"));
        Assert.Empty(Versions.Entries((await _gateway.ListAsync(repo)).Xml));
        Assert.Equal(204, (await _gateway.SendAsync("DELETE", $"/master.{repo}")).Status);
    }

    [Fact]
    public async Task Remove_EveryVersionOneAtATimeOldestFirst_KeyAbsent()
    {
        var repo = await pachd.NewRepoAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _gateway.PutAsync(repo, "k", $"v{i}"));
        }

        foreach (var id in ids)
        {
            Assert.Equal(204, (await _gateway.SendAsync("DELETE", $"/{repo}/k?versionId={id}")).Status);
        }

        Assert.Null(await pachd.ReadAsync(repo, "/k"));
        Assert.Empty(Versions.Entries((await _gateway.ListAsync(repo)).Xml));
    }

    [Fact]
    public async Task Remove_VersionTheKeyDoesNotHave_204AndNothingChanges()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await _gateway.PutAsync(repo, "k", "one");
        var other = await _gateway.PutAsync(repo, "other", "x");
        var before = await pachd.CommitCountAsync(repo);

        var r = await _gateway.SendAsync("DELETE", $"/{repo}/k?versionId={other}");
        var nullVersion = await _gateway.SendAsync("DELETE", $"/{repo}/k?versionId=null");
        var malformed = await _gateway.SendAsync("DELETE", $"/{repo}/k?versionId=zzz");

        Assert.Equal(204, r.Status);
        Assert.Equal(204, nullVersion.Status);
        Assert.Equal("InvalidArgument", malformed.ErrorCode);
        Assert.Equal(before, await pachd.CommitCountAsync(repo));
        Assert.Equal([v1], Versions.Entries((await _gateway.ListAsync(repo, "prefix=k")).Xml).Select(v => v.VersionId));
    }

    [Fact]
    public async Task Remove_AfterBranchRebuild_StaysHidden()
    {
        var repo = await pachd.NewRepoAsync();
        var v1 = await _gateway.PutAsync(repo, "k", "one");
        await _gateway.PutAsync(repo, "k", "two");
        await _gateway.SendAsync("DELETE", $"/{repo}/k?versionId={v1}");
        var gateway = new Gateway.Pachyderm.BranchRef(Gateway.Pachyderm.RepoRef.InDefault(repo), "_s3gateway_master");
        await pachd.Client.ModifyFileAsync(gateway.Head, w => w.DeleteFileAsync("/history/cursor"));

        var listed = Versions.Entries((await _gateway.ListAsync(repo)).Xml);

        Assert.DoesNotContain(v1, listed.Select(v => v.VersionId));
        Assert.Single(listed);
    }
}
