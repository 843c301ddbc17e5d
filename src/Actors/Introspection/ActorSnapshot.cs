namespace ActorHost.Actors;

/// <summary>A point-in-time view of one actor (see <see cref="ActorSystem.Inspect"/>). Values are read without locks and may be slightly stale.</summary>
/// <param name="Path">The actor.</param>
/// <param name="Incarnation">Current incarnation (0 before the first instance was built).</param>
/// <param name="State">Lifecycle state.</param>
/// <param name="RestartCount">Completed restarts.</param>
/// <param name="FailureCount">Failures decided by its supervisor.</param>
/// <param name="ProcessedCount">User messages handed to the actor (including ones whose handling failed).</param>
/// <param name="MailboxDepth">User messages waiting.</param>
/// <param name="ChildCount">Live children.</param>
/// <param name="LastFailure">The last failure, if any.</param>
/// <param name="ActorType">The declared actor type.</param>
public sealed record ActorSnapshot(
    ActorPath Path,
    int Incarnation,
    ActorState State,
    int RestartCount,
    int FailureCount,
    long ProcessedCount,
    int MailboxDepth,
    int ChildCount,
    FailureSnapshot? LastFailure,
    Type ActorType);
