namespace ActorHost.Actors;

/// <summary>Why an actor system terminated.</summary>
public enum TerminationKind
{
    /// <summary><see cref="ActorSystem.Terminate"/> was called (or the user guardian stopped).</summary>
    Normal,

    /// <summary>A failure escalated to the root guardian. The host should exit with a non-zero code.</summary>
    Escalated,
}
