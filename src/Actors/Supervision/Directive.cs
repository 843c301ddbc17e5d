namespace ActorHost.Actors;

/// <summary>What a supervisor does with a failed child (Akka's four directives).</summary>
public enum Directive
{
    /// <summary>Keep the instance and its state; the failing message is dropped; continue with the next message.</summary>
    Resume,

    /// <summary>
    /// Replace the instance with a fresh one from the <see cref="Props"/> factory; the failing message is dropped
    /// (handed to <c>PreRestart</c>), the mailbox is kept.
    /// </summary>
    Restart,

    /// <summary>Stop the child permanently; its remaining messages become dead letters.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception, so that its own supervisor decides.</summary>
    Escalate,
}
