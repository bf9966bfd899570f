using Gateway.Pachyderm.Tests.Support;
using Xunit;

namespace Gateway.Pachyderm.Tests.Contract;

public abstract partial class PachClientContractTests
{
    internal const long UploadSize = 64L * MiB;

    /// <summary>What a cancelled upload must leave behind: the branch exactly as before, and no trace of the file.</summary>
    private async Task AssertNothingAppliedAsync(RepoRef repo, int commitsBefore, string headBefore, string path)
    {
        Assert.Equal(commitsBefore, await CommitCountAsync(repo));
        Assert.Equal(headBefore, (await Client.InspectBranchAsync(Master(repo))).Head.Id);
        var error = await Assert.ThrowsAsync<PachException>(() => Client.InspectFileAsync(new FileRef(Master(repo).Head, path)));
        Assert.Equal(PachErrorKind.FileNotFound, error.Kind);

        // A later write must not drag the abandoned upload in with it (the server really dropped it).
        await PutBytesAsync(Master(repo).Head, "/after", [1]);
        Assert.Equal(commitsBefore + 1, await CommitCountAsync(repo));
        Assert.DoesNotContain(await Client.GlobFileAsync(Master(repo).Head, "**").ToListAsync(), f => f.File.Path == path);
    }

    private async Task<(RepoRef Repo, int Commits, string Head)> RepoWithOneFileAsync()
    {
        var repo = await NewRepoAsync();
        await PutBytesAsync(Master(repo).Head, "/existing", [1]);
        return (repo, await CommitCountAsync(repo), (await Client.InspectBranchAsync(Master(repo))).Head.Id);
    }

    [Fact]
    public async Task ModifyFile_TokenCancelledMidUpload_NothingApplied()
    {
        var (repo, commits, head) = await RepoWithOneFileAsync();
        using var cts = new CancellationTokenSource();
        // Cancel once 20 MiB have been read from the source: several chunks are already on the wire by then.
        var source = new GeneratedStream(UploadSize, sent =>
        {
            if (sent >= 20L * MiB)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.PutFileAsync(Master(repo).Head, "/partial.bin", source, cts.Token));

        Assert.True(source.Position < UploadSize, "the upload should have stopped part-way");
        await AssertNothingAppliedAsync(repo, commits, head, "/partial.bin");
    }

    [Fact]
    public async Task ModifyFile_WriterThrowsMidUpload_SameExceptionAndNothingApplied()
    {
        var (repo, commits, head) = await RepoWithOneFileAsync();
        var failure = new InvalidOperationException("source broke");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Client.ModifyFileAsync(Master(repo).Head, async w =>
        {
            await w.AddFileAsync("/partial.bin", new GeneratedStream(20L * MiB));
            await w.DeleteFileAsync("/existing");
            throw failure;
        }));

        Assert.Same(failure, thrown);
        await AssertNothingAppliedAsync(repo, commits, head, "/partial.bin");
        Assert.Equal([1], await ReadFileAsync(Master(repo).Head, "/existing"));
    }

    [Fact]
    public async Task ModifyFile_CancelledIntoOpenCommit_OpenCommitUnchanged()
    {
        var repo = await NewRepoAsync();
        var commit = await Client.StartCommitAsync(Master(repo));
        await PutBytesAsync(commit, "/kept", [1]);
        using var cts = new CancellationTokenSource();
        var source = new GeneratedStream(UploadSize, sent =>
        {
            if (sent >= 10L * MiB)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.PutFileAsync(commit, "/partial.bin", source, cts.Token));
        await Client.FinishCommitAsync(commit);

        var paths = (await Client.GlobFileAsync(Master(repo).Head, "**").ToListAsync()).Select(f => f.File.Path).Where(p => p != "/");
        Assert.Equal(["/kept"], paths);
    }
}
