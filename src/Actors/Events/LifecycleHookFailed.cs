namespace ActorHost.Actors;

/// <summary>
/// <c>PreRestart</c> or <c>PostStop</c> threw. As in Akka this is best effort: it is reported and the restart or
/// stop proceeds. (Failures in the constructor, <c>PreStart</c> or <c>PostRestart</c> are real failures and are
/// supervised.)
/// </summary>
/// <param name="Path">The actor.</param>
/// <param name="Incarnation">The incarnation whose hook threw.</param>
/// <param name="Hook">"PreRestart" or "PostStop".</param>
/// <param name="Exception">What it threw.</param>
public sealed record LifecycleHookFailed(ActorPath Path, int Incarnation, string Hook, Exception Exception) : ActorEvent(Path);
