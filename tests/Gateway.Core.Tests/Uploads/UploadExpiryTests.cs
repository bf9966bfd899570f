using Gateway.Core.Naming;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;

namespace Gateway.Core.Tests.Uploads;

/// <summary>Abandoned uploads expire (S3's AbortIncompleteMultipartUpload), and their parts leave the gateway branch.</summary>
[Collection(PachdCollection.Name)]
public sealed class UploadExpiryTests(PachdServer pachd)
{
    private readonly ManualTimeProvider _time = new();

    private Support.Gateway Gateway(double days) =>
        new(pachd.Client, new GatewayOptions { AuthModeCacheSeconds = 0, UploadExpiryDays = days }, time: _time);

    [Fact]
    public async Task Upload_PastItsExpiry_NoSuchUploadForEveryCallAndNotListed()
    {
        var gateway = Gateway(days: 1);
        var repo = await pachd.NewRepoAsync();
        var id = await gateway.CreateAsync(repo, "k");
        var etag = await gateway.PartAsync(repo, "k", id, 1, "part");
        _time.Advance(TimeSpan.FromHours(23));
        var fresh = await gateway.CreateAsync(repo, "young");
        Assert.Equal(200, (await gateway.SendAsync("GET", $"/{repo}/k?uploadId={id}")).Status);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal("NoSuchUpload", (await gateway.SendAsync("GET", $"/{repo}/k?uploadId={id}")).ErrorCode);
        Assert.Equal("NoSuchUpload", (await gateway.SendAsync("PUT", $"/{repo}/k?uploadId={id}&partNumber=2", "more")).ErrorCode);
        Assert.Equal("NoSuchUpload", (await gateway.SendAsync("POST", $"/{repo}/k?uploadId={id}", Multipart.CompleteBody((1, etag)))).ErrorCode);
        Assert.Equal("NoSuchUpload", (await gateway.SendAsync("DELETE", $"/{repo}/k?uploadId={id}")).ErrorCode);
        Assert.Equal([fresh], (await gateway.SendAsync("GET", $"/{repo}?uploads")).Xml.All("UploadId"));
        Assert.Null(await pachd.ReadAsync(repo, "/k"));
    }

    [Fact]
    public async Task ExpiredUploads_RemovedInTheCommitOfTheNextMultipartWrite()
    {
        var gateway = Gateway(days: 7);
        var repo = await pachd.NewRepoAsync();
        var old = await gateway.CreateAsync(repo, "old");
        await gateway.PartAsync(repo, "old", old, 1, "abandoned");
        var kept = await gateway.CreateAsync(repo, "kept");
        _time.Advance(TimeSpan.FromDays(8));
        var alsoOld = await gateway.CreateAsync(repo, "late");
        _time.Advance(TimeSpan.FromMinutes(1));
        var commits = await pachd.UploadsCommitCountAsync(repo);

        var next = await gateway.CreateAsync(repo, "next");

        Assert.Equal(commits + 1, await pachd.UploadsCommitCountAsync(repo));
        var left = await UploadDirectoriesAsync(repo);
        Assert.DoesNotContain(left, d => d.Contains(old, StringComparison.Ordinal) || d.Contains(kept, StringComparison.Ordinal));
        Assert.Contains(left, d => d.Contains(alsoOld, StringComparison.Ordinal));
        Assert.Contains(left, d => d.Contains(next, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Receipt_OfACompletedUpload_ExpiresToo()
    {
        var gateway = Gateway(days: 1);
        var repo = await pachd.NewRepoAsync();
        var id = await gateway.CreateAsync(repo, "k");
        var etag = await gateway.PartAsync(repo, "k", id, 1, "whole");
        var body = Multipart.CompleteBody((1, etag));
        Assert.Equal(200, (await gateway.SendAsync("POST", $"/{repo}/k?uploadId={id}", body)).Status);
        _time.Advance(TimeSpan.FromHours(12));
        Assert.Equal(200, (await gateway.SendAsync("POST", $"/{repo}/k?uploadId={id}", body)).Status);

        _time.Advance(TimeSpan.FromHours(13));

        Assert.Equal("NoSuchUpload", (await gateway.SendAsync("POST", $"/{repo}/k?uploadId={id}", body)).ErrorCode);
        await gateway.CreateAsync(repo, "sweeps");
        Assert.DoesNotContain(await UploadDirectoriesAsync(repo), d => d.Contains(id, StringComparison.Ordinal));
        Assert.Equal("whole", await pachd.ReadAsync(repo, "/k"));
    }

    [Fact]
    public async Task ExpiryZero_UploadsNeverExpire()
    {
        var gateway = Gateway(days: 0);
        var repo = await pachd.NewRepoAsync();
        var id = await gateway.CreateAsync(repo, "k");
        await gateway.PartAsync(repo, "k", id, 1, "part");

        _time.Advance(TimeSpan.FromDays(3650));

        Assert.Equal(200, (await gateway.SendAsync("GET", $"/{repo}/k?uploadId={id}")).Status);
        await gateway.CreateAsync(repo, "other");
        Assert.Contains(await UploadDirectoriesAsync(repo), d => d.Contains(id, StringComparison.Ordinal));
    }

    /// <summary>The upload directories left at the head of the bucket's gateway branch.</summary>
    private async Task<List<string>> UploadDirectoriesAsync(string repo)
    {
        var head = new BranchRef(RepoRef.InDefault(repo), GatewayBranch.Prefix + "master").Head;
        var directories = new List<string>();
        await foreach (var info in pachd.Client.GlobFileAsync(head, "/uploads/*/*"))
        {
            if (info.FileType == FileType.Dir)
            {
                directories.Add(info.File.Path);
            }
        }

        return directories;
    }
}
