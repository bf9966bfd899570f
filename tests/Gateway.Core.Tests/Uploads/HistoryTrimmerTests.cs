using Gateway.Core.Naming;
using Gateway.Core.Tests.Support;
using Gateway.Core.Uploads;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Core.Tests.Uploads;

/// <summary>
/// The gateway branch's settled history is squashed, so that what left its head (removed uploads' parts) leaves
/// pachd; young commits and the head stay, and a Complete whose listing commit was squashed lists its parts again.
/// </summary>
[Collection(PachdCollection.Name)]
public sealed class HistoryTrimmerTests(PachdServer pachd)
{
    private readonly ManualTimeProvider _time = new();

    private static BucketAddress Bucket(string repo) => new("default", repo, "master", null);

    private static CommitRef GatewayHead(string repo) => GatewayBranch.Of(Bucket(repo)).Head;

    private Task WriteGatewayAsync(string repo, Func<IModifyFileWriter, Task> write) =>
        GatewayBranch.ModifyAsync(pachd.Client, Bucket(repo), write, default);

    private async Task<List<CommitInfo>> GatewayCommitsAsync(string repo)
    {
        var commits = new List<CommitInfo>();
        await foreach (var info in pachd.Client.ListCommitsAsync(RepoRef.InDefault(repo), GatewayHead(repo)))
        {
            commits.Add(info);
        }

        return commits;
    }

    private async Task<bool> HasFileAsync(string repo, string commitId, string path)
    {
        try
        {
            await pachd.Client.InspectFileAsync(new FileRef(CommitRef.ById(RepoRef.InDefault(repo), commitId), path.TrimEnd('/')));
            return true;
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound or PachErrorKind.CommitNotFound)
        {
            // A commit squashed meanwhile holds nothing either.
            return false;
        }
    }

    private async Task<bool> AnyHasFileAsync(string repo, IEnumerable<string> commitIds, string path)
    {
        foreach (var id in commitIds)
        {
            if (await HasFileAsync(repo, id, path))
            {
                return true;
            }
        }

        return false;
    }

    [Fact]
    public async Task Trim_SquashesSettledCommitsOldestFirst_KeepsYoungCommitsAndTheHead()
    {
        var repo = await pachd.NewRepoAsync();
        await WriteGatewayAsync(repo, w => w.AddFileAsync("/gone", "removed later"u8.ToArray()));
        await WriteGatewayAsync(repo, w => w.AddFileAsync("/kept", "stays"u8.ToArray()));
        await WriteGatewayAsync(repo, w => w.DeleteFileAsync("/gone"));
        var settledUpTo = (await GatewayCommitsAsync(repo))[0].Finished.ToDateTimeOffset();
        await Task.Delay(50);
        await WriteGatewayAsync(repo, w => w.AddFileAsync("/young1", "1"u8.ToArray()));
        await WriteGatewayAsync(repo, w => w.AddFileAsync("/young2", "2"u8.ToArray()));
        var before = await GatewayCommitsAsync(repo);
        Assert.Equal(5, before.Count); // the first write made the branch
        _time.Set(settledUpTo + HistoryTrimmer.SettleAge);
        var trimmer = new HistoryTrimmer(_time, NullLogger.Instance);

        var squashed = await trimmer.TrimAsync(pachd.Client, Bucket(repo), default);

        Assert.Equal(3, squashed);
        var after = await GatewayCommitsAsync(repo);
        Assert.Equal([before[0].Commit.Id, before[1].Commit.Id], after.Select(c => c.Commit.Id));
        Assert.Null(after[^1].ParentCommit);
        foreach (var commit in after)
        {
            Assert.False(await HasFileAsync(repo, commit.Commit.Id, "/gone"));
        }

        Assert.True(await HasFileAsync(repo, after[0].Commit.Id, "/kept"));
        Assert.Equal("2", await pachd.ReadAsync(repo, "/young2", GatewayBranch.Prefix + "master"));
        Assert.True(await HasFileAsync(repo, after[1].Commit.Id, "/young1"));
        Assert.Equal(0, await trimmer.TrimAsync(pachd.Client, Bucket(repo), default));
    }

    [Fact]
    public async Task Trim_AllSettled_KeepsOnlyTheHead_AndGoesOnFromWhereItStopped()
    {
        var repo = await pachd.NewRepoAsync();
        for (var i = 0; i < 4; i++)
        {
            await WriteGatewayAsync(repo, w => w.AddFileAsync($"/f{i}", "x"u8.ToArray()));
        }

        _time.Set(DateTimeOffset.UtcNow + HistoryTrimmer.SettleAge + TimeSpan.FromMinutes(1));
        var trimmer = new HistoryTrimmer(_time, NullLogger.Instance);
        Assert.Equal(3, await trimmer.TrimAsync(pachd.Client, Bucket(repo), default));
        await WriteGatewayAsync(repo, w => w.AddFileAsync("/f4", "x"u8.ToArray()));
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(1, await trimmer.TrimAsync(pachd.Client, Bucket(repo), default));

        var left = Assert.Single(await GatewayCommitsAsync(repo));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await HasFileAsync(repo, left.Commit.Id, $"/f{i}"));
        }
    }

    [Fact]
    public async Task Trim_PachdRefusesSquash_NothingChangesAndNothingThrows()
    {
        var repo = await pachd.NewRepoAsync();
        await WriteGatewayAsync(repo, w => w.AddFileAsync("/a", "x"u8.ToArray()));
        await WriteGatewayAsync(repo, w => w.AddFileAsync("/b", "x"u8.ToArray()));
        _time.Set(DateTimeOffset.UtcNow + TimeSpan.FromDays(1));
        var refused = new PachException(PachErrorKind.NotAuthorized, StatusCode.PermissionDenied, "not authorized - needs permissions [REPO_DELETE_COMMIT] on CLUSTER");
        var client = PachProxy.Failing(pachd.Client, nameof(IPachClient.SquashCommitAsync), refused);

        Assert.Equal(0, await new HistoryTrimmer(_time, NullLogger.Instance).TrimAsync(client, Bucket(repo), default));

        Assert.Equal(2, (await GatewayCommitsAsync(repo)).Count);
    }

    [Fact]
    public async Task Trim_NoGatewayBranch_Nothing()
    {
        var repo = await pachd.NewRepoAsync();

        Assert.Equal(0, await new HistoryTrimmer(_time, NullLogger.Instance).TrimAsync(pachd.Client, Bucket(repo), default));
    }

    [Fact]
    public async Task AbortedUpload_ItsPartsLeaveHistory_AtTheNextSweepTurnAfterSettling()
    {
        var gateway = new Support.Gateway(pachd.Client, new GatewayOptions { AuthModeCacheSeconds = 0 }, time: _time);
        var repo = await pachd.NewRepoAsync();
        _time.Set(DateTimeOffset.UtcNow);
        var id = await gateway.CreateAsync(repo, "k");
        await gateway.PartAsync(repo, "k", id, 1, "abandoned part");
        Assert.Equal(204, (await gateway.SendAsync("DELETE", $"/{repo}/k?uploadId={id}")).Status);
        var partCommits = (await GatewayCommitsAsync(repo)).Skip(1).Select(c => c.Commit.Id).ToList();
        Assert.True(await AnyHasFileAsync(repo, partCommits, UploadLayout.PartsDirectory(UploadLayout.UploadDirectory("k", id))));

        _time.Advance(HistoryTrimmer.SettleAge + UploadExpiry.SweepInterval);
        var next = await gateway.CreateAsync(repo, "next");

        await Poll.UntilAsync(async () => (await GatewayCommitsAsync(repo)).Count <= 2);
        var left = await GatewayCommitsAsync(repo);
        Assert.False(await AnyHasFileAsync(repo, left.Select(c => c.Commit.Id), UploadLayout.UploadDirectory("k", id)));
        Assert.Equal([next], (await gateway.SendAsync("GET", $"/{repo}?uploads")).Xml.All("UploadId"));
    }

    [Fact]
    public async Task Complete_ItsListingCommitSquashedMeanwhile_ListsThePartsAgainAndAssemblesOnce()
    {
        var repo = await pachd.NewRepoAsync();
        var id = await new Support.Gateway(pachd.Client).CreateAsync(repo, "k");
        var etag = await new Support.Gateway(pachd.Client).PartAsync(repo, "k", id, 1, "whole object");
        var commitsBefore = await pachd.CommitCountAsync(repo);
        var squashed = false;
        var calls = new List<PachCall>();
        var client = PachProxy.Wrap(pachd.Client, calls, call =>
        {
            if (!squashed && call.Method == nameof(IPachClient.ModifyFileAsync) && call.Args[0] is CommitRef { Branch: "master" })
            {
                // Between the listing and the assembly: the gateway branch moves on and the listing commit is squashed.
                squashed = true;
                var listedAt = pachd.Client.InspectCommitAsync(GatewayHead(repo)).GetAwaiter().GetResult().Commit.Id;
                WriteGatewayAsync(repo, w => w.AddFileAsync("/other", "x"u8.ToArray())).GetAwaiter().GetResult();
                pachd.Client.SquashCommitAsync(CommitRef.ById(RepoRef.InDefault(repo), listedAt)).GetAwaiter().GetResult();
            }

            return null;
        });

        var r = await new Support.Gateway(client).SendAsync("POST", $"/{repo}/k?uploadId={id}", Multipart.CompleteBody((1, etag)));

        Assert.Equal(200, r.Status);
        Assert.True(squashed);
        Assert.Equal(2, calls.Count(c => c.Method == nameof(IPachClient.ModifyFileAsync) && c.Args[0] is CommitRef { Branch: "master" }));
        Assert.Equal(commitsBefore + 1, await pachd.CommitCountAsync(repo));
        Assert.Equal("whole object", await pachd.ReadAsync(repo, "/k"));
    }
}
