namespace ActorHost.Actors;

/// <summary>
/// An async receive that had been abandoned (its incarnation ended through <see cref="IActorContext.Fail"/>,
/// a restart or a stop while it was awaiting) finally completed. Its outcome is ignored; this reports it.
/// </summary>
/// <param name="Path">The actor.</param>
/// <param name="Incarnation">The ended incarnation the turn belonged to.</param>
/// <param name="Exception">The exception it completed with, or <see langword="null"/> if it ran to completion.</param>
public sealed record AbandonedTurnCompleted(ActorPath Path, int Incarnation, Exception? Exception) : ActorEvent(Path);
