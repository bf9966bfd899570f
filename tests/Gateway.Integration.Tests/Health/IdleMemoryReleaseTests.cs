extern alias functions;

using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;
using IdleMemoryRelease = functions::Gateway.Functions.Hosting.IdleMemoryRelease;
using IdleTracker = functions::Gateway.Functions.Hosting.IdleTracker;

namespace Gateway.Integration.Tests.Health;

/// <summary>When the process gives memory back: once after each burst of work, never while it keeps working or rests.</summary>
public sealed partial class IdleMemoryReleaseTests
{
    private const long _minimum = 32L << 20;
    private const long _quiet = IdleTracker.QuietBytes - 1;

    [Fact]
    public void Burst_ThenQuietChecks_ReleasesOnce()
    {
        var tracker = new IdleTracker(_minimum, 1_000);
        var allocated = 1_000 + _minimum;
        Assert.False(tracker.Observe(allocated), "released during the burst");
        for (var check = 1; check < IdleMemoryRelease.ChecksPerPeriod; check++)
        {
            Assert.False(tracker.Observe(allocated += _quiet), $"released after {check} quiet checks");
        }

        Assert.True(tracker.Observe(allocated += _quiet));
        tracker.Released(allocated);
        for (var check = 0; check < 3 * IdleMemoryRelease.ChecksPerPeriod; check++)
        {
            Assert.False(tracker.Observe(allocated += _quiet), "released again without a new burst");
        }
    }

    [Fact]
    public void SteadyWork_NeverReleases()
    {
        var tracker = new IdleTracker(_minimum, 0);
        var allocated = 0L;
        for (var check = 0; check < 100; check++)
        {
            Assert.False(tracker.Observe(allocated += IdleTracker.QuietBytes));
        }
    }

    [Fact]
    public void QuietAfterLessThanTheMinimum_DoesNotRelease()
    {
        var tracker = new IdleTracker(_minimum, 0);
        var allocated = _minimum - (IdleMemoryRelease.ChecksPerPeriod * _quiet) - 1;
        Assert.False(tracker.Observe(allocated));
        for (var check = 0; check < IdleMemoryRelease.ChecksPerPeriod; check++)
        {
            Assert.False(tracker.Observe(allocated += _quiet));
        }
    }

    [Fact]
    public void WorkInTheQuietPeriod_StartsItOver()
    {
        var tracker = new IdleTracker(_minimum, 0);
        var allocated = _minimum;
        for (var check = 1; check < IdleMemoryRelease.ChecksPerPeriod; check++)
        {
            Assert.False(tracker.Observe(allocated += _quiet));
        }

        Assert.False(tracker.Observe(allocated += IdleTracker.QuietBytes));
        for (var check = 1; check < IdleMemoryRelease.ChecksPerPeriod; check++)
        {
            Assert.False(tracker.Observe(allocated += _quiet), $"released {check} quiet checks after work");
        }

        Assert.True(tracker.Observe(allocated + _quiet));
    }

    /// <summary>
    /// A real process: requests, then rest; a release is logged after the requests, and none while it rests. The start
    /// is a burst of its own, and on a slow machine the requests may pause long enough for a release between them, so
    /// the count is read once the process has settled (one release per burst is what the IdleTracker tests above check).
    /// </summary>
    [Fact]
    [Trait("Host", "Standalone")]
    public async Task Process_AfterRequests_Releases_ThenStaysQuiet()
    {
        await using var gateway = await StandaloneProcess.StartAsync(
            ("GATEWAY_IDLE_RELEASE_SECONDS", "0.4"),
            ("Gateway__IdleReleaseMinimumBytes", "1048576"),
            ("Logging__LogLevel__Gateway.Functions.Hosting.IdleMemoryRelease", "Debug"));
        using var s3 = GatewayFixture.AwsClient(gateway.BaseUri, "idle", "idle", whenRequired: false);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var atRest = Released(gateway.Output).Count;
        var bucket = "master." + GatewayFixture.NewName("idle");
        await s3.PutBucketAsync(bucket);
        for (var i = 0; i < 50; i++)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"k{i}", ContentBody = new string('x', 4096) });
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Released(gateway.Output).Count == atRest && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var released = Released(gateway.Output);
        Assert.True(released.Count > atRest, "no release after the requests");
        Assert.True(long.Parse(released[^1].Groups["before"].Value, CultureInfo.InvariantCulture) > 0, released[^1].Value);

        // Settled (more than a period since the last request), then resting: nothing more to give back.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var settled = Released(gateway.Output).Count;
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(settled, Released(gateway.Output).Count);
        Assert.Equal(4096, (await s3.GetObjectMetadataAsync(bucket, "k49")).ContentLength);
    }

    private static List<Match> Released(string output) => [.. ReleasedLine().Matches(output).Cast<Match>()];

    [GeneratedRegex(@"Idle: memory released, working set (?<before>\d+) -> (?<after>\d+) MiB in [\d.]+ ms")]
    private static partial Regex ReleasedLine();
}
