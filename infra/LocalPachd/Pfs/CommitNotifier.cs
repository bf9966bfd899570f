namespace LocalPachd.Pfs;

/// <summary>Wakes callers waiting for commits to finish (InspectCommit wait=FINISHED).</summary>
internal sealed class CommitNotifier
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next finish; take it before checking state to avoid a lost wake-up.</summary>
    public Task NextChange => Volatile.Read(ref _changed).Task;

    public void Notify() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
