namespace ActorHost.Actors;

/// <summary>Snapshots for the management API; read from any thread without locks (values may be slightly stale).</summary>
internal sealed partial class ActorCell
{
    public ActorSnapshot Snapshot()
    {
        var extras = Volatile.Read(ref _extras);
        var depth = Volatile.Read(ref _enqueued) - Volatile.Read(ref _dequeued);
        return new ActorSnapshot(
            _path,
            Volatile.Read(ref _incarnation),
            CurrentState(),
            extras?.RestartCount ?? 0,
            extras?.FailureCount ?? 0,
            Volatile.Read(ref _processed),
            (int)Math.Clamp(depth, 0, int.MaxValue),
            ChildCount,
            extras?.LastFailure,
            _props.ActorType);
    }

    private ActorState CurrentState() => _lifecycle switch
    {
        Lifecycle.Starting => ActorState.Starting,
        Lifecycle.Restarting => ActorState.Restarting,
        Lifecycle.Terminating => ActorState.Stopping,
        Lifecycle.Terminated => ActorState.Stopped,
        _ when _failed => ActorState.Failed,
        _ when _turn is not null => ActorState.Awaiting,
        _ when _suspendCount > 0 => ActorState.Suspended,
        _ => ActorState.Running,
    };
}
