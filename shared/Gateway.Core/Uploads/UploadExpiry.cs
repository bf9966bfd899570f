using System.Collections.Concurrent;
using Gateway.Core.Naming;

namespace Gateway.Core.Uploads;

/// <summary>
/// How long uploads live: an upload not completed or aborted <see cref="After"/> its initiation is expired, as S3's
/// lifecycle rule AbortIncompleteMultipartUpload (DaysAfterInitiation) would abort it: NoSuchUpload for every call,
/// gone from ListMultipartUploads. The receipt of a completed upload (<see cref="UploadReceipt"/>) lives as long after
/// its completion. Expired directories are removed from the gateway branch's head by the next multipart write to
/// the same bucket (<see cref="UploadSweep"/>), at most once per <see cref="SweepInterval"/> per bucket and instance,
/// inside the commit that write makes anyway; the same turn squashes the branch's settled history
/// (<see cref="HistoryTrimmer"/>), whether or not uploads expire.
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
    /// <param name="trimmer">What squashes the gateway branches' settled history on each sweep turn; null: nothing.</param>
    public UploadExpiry(TimeSpan after, TimeProvider time, HistoryTrimmer? trimmer = null)
    {
        After = after;
        _time = time;
        Trimmer = trimmer;
    }

    /// <summary>What squashes the settled history of a swept bucket's gateway branch (null: nothing does).</summary>
    public HistoryTrimmer? Trimmer { get; }

    /// <summary>Uploads that never expire.</summary>
    public static UploadExpiry Never(TimeProvider time) => new(TimeSpan.Zero, time);

    /// <summary>The age at which an upload expires (zero: never).</summary>
    public TimeSpan After { get; }

    /// <summary>True when uploads expire at all.</summary>
    public bool Expires => After > TimeSpan.Zero;

    /// <summary>True when something started (or completed) at <paramref name="since"/> is past its life.</summary>
    public bool IsExpired(DateTimeOffset since) => Expires && _time.GetUtcNow() - since >= After;

    /// <summary>True when this instance should look for expired uploads in <paramref name="bucket"/> now (and notes that it did).</summary>
    public bool TakeSweepTurn(BucketAddress bucket)
    {
        var now = _time.GetUtcNow();
        var key = bucket.BranchKey;
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
