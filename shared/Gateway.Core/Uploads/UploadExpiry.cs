using System.Collections.Concurrent;
using Gateway.Core.Naming;

namespace Gateway.Core.Uploads;

/// <summary>
/// How long uploads live: an upload not completed or aborted <see cref="After"/> its initiation is expired, as S3's
/// lifecycle rule AbortIncompleteMultipartUpload (DaysAfterInitiation) would abort it: NoSuchUpload for every call,
/// gone from ListMultipartUploads. The receipt of a completed upload (<see cref="UploadReceipt"/>) lives as long after
/// its completion. Expired directories are removed from the gateway branch's head by the next multipart write to
/// the same bucket (<see cref="UploadSweep"/>), at most once per <see cref="SweepInterval"/> per bucket and instance,
/// inside the commit that write makes anyway.
/// </summary>
internal sealed class UploadExpiry
{
    /// <summary>How often one instance looks for expired uploads in one bucket.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    private const int _maxRemembered = 10_000;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSweep = new(StringComparer.Ordinal);

    /// <param name="after">Age at which an upload expires; zero or less: never.</param>
    /// <param name="time">The clock.</param>
    public UploadExpiry(TimeSpan after, TimeProvider time)
    {
        After = after;
        _time = time;
    }

    /// <summary>Uploads that never expire.</summary>
    public static UploadExpiry Never(TimeProvider time) => new(TimeSpan.Zero, time);

    /// <summary>The age at which an upload expires (zero: never).</summary>
    public TimeSpan After { get; }

    /// <summary>True when something started (or completed) at <paramref name="since"/> is past its life.</summary>
    public bool IsExpired(DateTimeOffset since) => After > TimeSpan.Zero && _time.GetUtcNow() - since >= After;

    /// <summary>True when this instance should look for expired uploads in <paramref name="bucket"/> now (and notes that it did).</summary>
    public bool TakeSweepTurn(BucketAddress bucket)
    {
        if (After <= TimeSpan.Zero)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        var key = bucket.Project + "/" + bucket.Repo + "@" + bucket.Branch;
        if (_lastSweep.TryGetValue(key, out var last) && now - last < SweepInterval)
        {
            return false;
        }

        if (_lastSweep.Count >= _maxRemembered)
        {
            _lastSweep.Clear();
        }

        _lastSweep[key] = now;
        return true;
    }
}
