namespace ActorHost.Cluster.Coordination;

/// <summary>
/// Fires once at the earliest self-fencing deadline of the shards this node serves (local monotonic clock).
/// It runs independently of the heartbeat loop on purpose: that loop may be stuck in a database call
/// when the deadline comes, and the node must stop serving on time regardless.
/// </summary>
internal sealed class FencingTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;

    public FencingTimer(TimeProvider time, Action onDeadline)
    {
        _time = time;
        _timer = time.CreateTimer(_ => onDeadline(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Arms the timer for local timestamp <paramref name="deadline"/>; <see cref="long.MaxValue"/> disarms it.</summary>
    public void Schedule(long deadline)
    {
        TimeSpan due = Timeout.InfiniteTimeSpan;
        if (deadline != long.MaxValue)
        {
            due = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            // +1 ms: fire just after the deadline so the callback sees it passed (Route compares with >=).
            due = due < TimeSpan.Zero ? TimeSpan.Zero : due + TimeSpan.FromMilliseconds(1);
        }

        try
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The node is being disposed; nothing is served any more.
        }
    }

    public void Dispose() => _timer.Dispose();
}
