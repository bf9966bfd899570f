using Gateway.Pachyderm.Tests.Hosting;
using Gateway.Pachyderm.Tests.Support;
using Xunit;

namespace Gateway.Pachyderm.Tests.Durability;

/// <summary>LocalPachd killed with SIGKILL keeps every acknowledged write (run as a child process so it can be killed).</summary>
public sealed class LocalPachdDurabilityTests
{
    internal const int MiB = 1024 * 1024;

    [Fact]
    public async Task Restart_AfterSigkill_AcknowledgedWritesIntact()
    {
        var data = PachdLauncher.NewDataDirectory();
        try
        {
            var repo = RepoRef.InDefault("durable");
            var master = new BranchRef(repo, "master");
            var dev = new BranchRef(repo, "dev");
            var files = new Dictionary<string, byte[]>
            {
                ["/small.txt"] = "hello"u8.ToArray(),
                ["/dir/multi.bin"] = TestData.Bytes((7 * MiB) + 3, 11),
                ["/dir/empty"] = [],
            };
            List<string> commitsBefore;
            string masterHead;
            string devHead;

            await using (var first = await ProcessPachdLauncher.StartProcessAsync(data))
            {
                using var client = PachClient.Create(first.Address.ToString());
                await client.CreateRepoAsync(repo, "survives");
                foreach (var (path, content) in files)
                {
                    using var source = new MemoryStream(content, writable: false);
                    await client.PutFileAsync(master.Head, path, source);
                }
                await client.CreateBranchAsync(dev, master.Head);
                var open = await client.StartCommitAsync(master);
                await client.ModifyFileAsync(open, w => w.AddFileAsync("/in-batch", new byte[] { 42 }));
                await client.FinishCommitAsync(open);
                files["/in-batch"] = [42];

                commitsBefore = [.. (await client.ListCommitsAsync(repo).ToListAsync()).Select(c => c.Commit.Id)];
                masterHead = (await client.InspectBranchAsync(master)).Head.Id;
                devHead = (await client.InspectBranchAsync(dev)).Head.Id;

                await first.KillAsync();
            }

            await using var second = await ProcessPachdLauncher.StartProcessAsync(data);
            using var after = PachClient.Create(second.Address.ToString());

            Assert.Equal("survives", (await after.InspectRepoAsync(repo)).Description);
            Assert.Equal(commitsBefore, (await after.ListCommitsAsync(repo).ToListAsync()).Select(c => c.Commit.Id));
            Assert.Equal(masterHead, (await after.InspectBranchAsync(master)).Head.Id);
            Assert.Equal(devHead, (await after.InspectBranchAsync(dev)).Head.Id);
            foreach (var (path, content) in files)
            {
                await using var stream = await after.GetFileAsync(new FileRef(master.Head, path));
                Assert.Equal(content, await TestData.ReadAllAsync(stream));
            }
            // The dev branch still sees the state it was created at (before the batch commit).
            await Assert.ThrowsAsync<PachException>(() => after.InspectFileAsync(new FileRef(dev.Head, "/in-batch")));
            // And the restarted server accepts new writes on top.
            using (var more = new MemoryStream([7]))
            {
                await after.PutFileAsync(master.Head, "/later", more);
            }
            Assert.Equal(commitsBefore.Count + 1, (await after.ListCommitsAsync(repo).ToListAsync()).Count);
        }
        finally
        {
            PachdLauncher.DeleteDataDirectory(data);
        }
    }
}
