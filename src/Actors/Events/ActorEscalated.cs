namespace ActorHost.Actors;

/// <summary>
/// A supervisor escalated a child's failure: the supervisor (<see cref="ActorEvent.Path"/>) now fails with the
/// child's original exception and its own supervisor decides.
/// </summary>
/// <param name="Path">The supervisor that escalates (and therefore fails).</param>
/// <param name="Child">The child whose failure is escalated.</param>
/// <param name="Exception">The original exception.</param>
public sealed record ActorEscalated(ActorPath Path, ActorPath Child, Exception Exception) : ActorEvent(Path);
