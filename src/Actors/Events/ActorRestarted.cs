namespace ActorHost.Actors;

/// <summary>A restart completed: a fresh instance was built and its <c>PostRestart</c> completed.</summary>
/// <param name="Path">The actor.</param>
/// <param name="Incarnation">The new incarnation number.</param>
/// <param name="Cause">The failure that caused the restart.</param>
public sealed record ActorRestarted(ActorPath Path, int Incarnation, Exception Cause) : ActorEvent(Path);
