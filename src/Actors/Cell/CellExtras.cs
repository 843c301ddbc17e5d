namespace ActorHost.Actors;

/// <summary>
/// State most actors never need (death watch, failures, receive timeout, retry budget), allocated on first use
/// so an idle actor stays small.
/// </summary>
internal sealed class CellExtras
{
    // Death watch.
    public HashSet<IInternalActorRef>? WatchedBy;
    public HashSet<IActorRef>? Watching;
    public HashSet<IActorRef>? TerminatedQueued;

    // The failure awaiting the supervisor's directive.
    public object? FailedMessage;

    // The child whose escalated failure made this actor fail (it gets the cause back on Resume).
    public ActorCell? Perpetrator;

    // Statistics (written by the parent or the actor, read racily by introspection).
    public int FailureCount;
    public int RestartCount;
    public FailureSnapshot? LastFailure;

    // Restart budget, kept by the parent on the child (Akka's ChildRestartStats).
    public int RetryCount;
    public long RetryWindowStart;
    public bool RetryWindowStarted;

    // Restarts the parent has ordered (RecreateMessage sent), kept by the parent on the child: a failure reported by
    // the child before it processed the latest order belongs to an instance already being replaced.
    public int RestartOrders;

    // Receive timeout.
    public TimeSpan? ReceiveTimeout;
    public ITimer? ReceiveTimeoutTimer;

    // Why we wait for children to terminate: a restart (with its cause) or our own termination.
    public Exception? RecreateCause;

    // The cached strategy of the current incarnation.
    public SupervisorStrategy? Strategy;
    public int StrategyIncarnation;
}
