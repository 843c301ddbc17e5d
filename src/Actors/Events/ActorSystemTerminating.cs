namespace ActorHost.Actors;

/// <summary>The actor system began terminating (normally, or because a failure escalated to the root).</summary>
/// <param name="Reason">Why.</param>
public sealed record ActorSystemTerminating(TerminationReason Reason) : ActorEvent(ActorPath.Root);
