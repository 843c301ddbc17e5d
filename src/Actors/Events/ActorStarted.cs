namespace ActorHost.Actors;

/// <summary>An actor's first incarnation was created and its <c>PreStart</c> completed.</summary>
/// <param name="Path">The actor.</param>
/// <param name="Incarnation">Always 1 for a start; restarts publish <see cref="ActorRestarted"/>.</param>
public sealed record ActorStarted(ActorPath Path, int Incarnation) : ActorEvent(Path);
