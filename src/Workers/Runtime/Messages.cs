namespace ActorHost.Workers.Runtime;

/// <summary>An idle entity asks its route supervisor to passivate it (Akka sharding's Passivate).</summary>
/// <param name="Slot">The entity's slot; a request from an older actor of the same name is ignored.</param>
internal sealed record Passivate(WorkerSlot Slot);

/// <summary>The host declared the handler of <paramref name="Envelope"/> stuck: fail its worker.</summary>
/// <param name="Envelope">The request whose handler ignored cancellation.</param>
internal sealed record FailStuckWorker(RequestEnvelope Envelope);

/// <summary>Asks a route supervisor to stop every entity whose key matches; <paramref name="Done"/> completes once they have terminated.</summary>
internal sealed record StopEntities(Func<string, bool> KeyMatches, TaskCompletionSource Done);
