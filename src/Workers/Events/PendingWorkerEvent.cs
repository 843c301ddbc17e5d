namespace ActorHost.Workers.Events;

/// <summary>
/// A worker event raised inside a worker or supervisor, on its way to the translator, which republishes it
/// as itself. Going through the translator keeps every <see cref="WorkerEvent"/> in one causal order with the
/// events it derives from the kernel (a failure is always seen before the restart it caused).
/// </summary>
/// <param name="Event">The event.</param>
internal sealed record PendingWorkerEvent(WorkerEvent Event);
