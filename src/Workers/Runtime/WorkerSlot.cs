using ActorHost.Actors;

namespace ActorHost.Workers.Runtime;

/// <summary>
/// The runtime's view of one worker actor (all its incarnations): its name and ref, the incarnation numbering,
/// how many requests it has queued or running (for the least-busy router), and which request it is serving
/// right now (so a stuck report can be checked against the worker that really holds the request).
/// Shared between the route supervisor, the worker actor and dispatching threads, hence the atomics.
/// </summary>
internal sealed class WorkerSlot
{
    private RequestEnvelope? _current;
    private int _busy;
    private int _incarnation;
    private int _state;
    private int _stopping;

    public WorkerSlot(string name, string? entityKey, int baseIncarnation)
    {
        Name = name;
        EntityKey = entityKey;
        BaseIncarnation = baseIncarnation;
    }

    /// <summary>The child name under the route supervisor (<c>worker-3</c>, or the encoded entity key).</summary>
    public string Name { get; }

    /// <summary>The entity key in entity mode.</summary>
    public string? EntityKey { get; }

    /// <summary>Incarnations this worker name had before this actor was created (entity re-creation continues the count).</summary>
    public int BaseIncarnation { get; }

    /// <summary>The actor; set by the supervisor right after creating it, before anyone can see the slot.</summary>
    public IActorRef Ref { get; set; } = null!;

    /// <summary>The live incarnation's worker-level number (0 before the first one started).</summary>
    public int Incarnation
    {
        get => Volatile.Read(ref _incarnation);
        set => Volatile.Write(ref _incarnation, value);
    }

    /// <summary>Requests queued for or running on this worker.</summary>
    public int Busy => Volatile.Read(ref _busy);

    /// <summary>Set by the supervisor before it sends the passivation stop, so the worker's stop is reported as passivation.</summary>
    public bool Passivating
    {
        get => Volatile.Read(ref _state) == 1;
        set => Volatile.Write(ref _state, value ? 1 : 0);
    }

    /// <summary>
    /// Set once the worker is known to be stopping for good (stop decision, last PostStop): its route sends
    /// new requests elsewhere — entity mode: to its successor, once it has terminated.
    /// </summary>
    public bool Stopping
    {
        get => Volatile.Read(ref _stopping) == 1;
        set => Volatile.Write(ref _stopping, value ? 1 : 0);
    }

    /// <summary>Set by the supervisor once the actor has terminated.</summary>
    public bool Terminated { get; set; }

    public string Path => Ref.Path.ToString();

    public void Enqueued() => Interlocked.Increment(ref _busy);

    /// <summary>A queued request that will not run here (skipped or refused).</summary>
    public void Dropped() => Interlocked.Decrement(ref _busy);

    public void Begin(RequestEnvelope envelope) => Volatile.Write(ref _current, envelope);

    /// <summary>The handler for <paramref name="envelope"/> exited; a no-op when the request was already released by <see cref="Release"/>.</summary>
    public void End(RequestEnvelope envelope)
    {
        if (Interlocked.CompareExchange(ref _current, null, envelope) == envelope)
        {
            Interlocked.Decrement(ref _busy);
        }
    }

    /// <summary>The incarnation ended with a request still running (abandoned as stuck, or stopped mid-request).</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _current, null) is not null)
        {
            Interlocked.Decrement(ref _busy);
        }
    }

    public bool IsServing(RequestEnvelope envelope) => Volatile.Read(ref _current) == envelope;
}
