namespace ActorHost.Actors;

/// <summary>An actor stopped: its children stopped, its <c>PostStop</c> ran, its mailbox was drained to dead letters.</summary>
/// <param name="Path">The actor.</param>
/// <param name="Incarnation">Its last incarnation (0 if none was ever created).</param>
public sealed record ActorStopped(ActorPath Path, int Incarnation) : ActorEvent(Path);
