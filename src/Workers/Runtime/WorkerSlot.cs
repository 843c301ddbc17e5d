using ActorHost.Actors;

namespace ActorHost.Workers.Runtime;

/// <summary>
/// The runtime's view of one worker actor (all its incarnations): its name and ref, the incarnation numbering,
/// how many requests it has queued or running (for the least-busy router), and which request it is serving
/// right now (so a stuck report can be checked against the worker that really holds the request).
/// Shared between the route supervisor, the worker actor and dispatching threads, hence the atomics. One per live
/// worker (100,000 idle entities hold 100,000 of these), so it also builds the worker's instances.
/// </summary>
internal sealed class WorkerSlot : IActorProducer<WorkerActor>
{
    // The entity gate in one int: the callers inside it counted in the low bits, and two closing marks above.
    private const int GateClosed = int.MinValue;
    private const int GateStopAsked = 1 << 30;
    private const int GateCallers = GateStopAsked - 1;

    private readonly RouteHost _route;
    private RequestEnvelope? _current;
    private long _lastActivity;
    private int _busy;
    private int _incarnation;
    private int _state;
    private int _stopping;
    private int _gate;
    private CancellationTokenSource? _notice;
    private int _noticeGiven;

    public WorkerSlot(RouteHost route, string name, string? entityKey, int baseIncarnation, long createdAt = 0)
    {
        _route = route;
        Name = name;
        EntityKey = entityKey;
        BaseIncarnation = baseIncarnation;
        _lastActivity = createdAt;
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

    /// <summary>
    /// When the last request on this worker ended (or the worker was created), as a <see cref="TimeProvider"/>
    /// timestamp: what the route supervisor's passivation tick compares with <c>passivate-after</c>.
    /// </summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

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

    /// <summary>
    /// Entity mode, route supervisor only: the requests waiting while this entity passivates or stops, for its
    /// successor (null while it is live). Kept here rather than in a wrapper: one object less per idle entity.
    /// </summary>
    public Queue<RequestEnvelope>? Waiting { get; set; }

    /// <summary>Set by the supervisor once the actor has terminated.</summary>
    public bool Terminated { get; set; }

    public string Path => Ref.Path.ToString();

    /// <summary>Marks the worker active at <paramref name="timestamp"/> (a request ended, or an incarnation started).</summary>
    public void Touch(long timestamp) => Volatile.Write(ref _lastActivity, timestamp);

    public void Enqueued() => Interlocked.Increment(ref _busy);

    /// <summary>A queued request that will not run here (skipped or refused).</summary>
    public void Dropped() => Interlocked.Decrement(ref _busy);

    public void Begin(RequestEnvelope envelope) => Volatile.Write(ref _current, envelope);

    /// <summary>The handler for <paramref name="envelope"/> exited at <paramref name="timestamp"/>; the busy count is a no-op when the request was already released by <see cref="Release"/>.</summary>
    public void End(RequestEnvelope envelope, long timestamp)
    {
        // Written before the busy count drops: a tick that sees the worker not busy sees when it became idle.
        Touch(timestamp);
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

    /// <summary>
    /// Entity mode: a dispatching thread asks to deliver a request straight to this entity, without the hop
    /// through the route supervisor. Refused once the gate is closed (the entity is passivating or being stopped
    /// by key, or its supervisor is restarting) or the worker is stopping for good; the request then goes through
    /// the supervisor, which holds it for the successor. A caller let in must call <see cref="Exit"/> right after
    /// its delivery.
    /// </summary>
    public bool TryEnter()
    {
        if ((Interlocked.Increment(ref _gate) & ~GateCallers) != 0 || Stopping)
        {
            Interlocked.Decrement(ref _gate);
            return false;
        }

        return true;
    }

    /// <summary>Leaves the gate entered by <see cref="TryEnter"/>.</summary>
    public void Exit() => Interlocked.Decrement(ref _gate);

    /// <summary>
    /// Route supervisor only: closes the gate and waits for the callers already inside it, so every request
    /// delivered directly is in the mailbox (and counted in <see cref="Busy"/>) before whatever the supervisor
    /// sends next, such as the stop message. The wait is a delivery or two long: a caller inside only queues.
    /// </summary>
    public void CloseGate()
    {
        Interlocked.Or(ref _gate, GateClosed);
        var spin = default(SpinWait);
        while ((Volatile.Read(ref _gate) & GateCallers) != 0)
        {
            spin.SpinOnce();
        }
    }

    /// <summary>Route supervisor only: opens a gate it closed (an entity it decided not to passivate after all).</summary>
    public void OpenGate() => Interlocked.And(ref _gate, ~GateClosed);

    /// <summary>
    /// Any thread: a stop of this entity by key has been asked for. Closes the gate for good (the supervisor cannot
    /// open it again), so requests dispatched after the ask wait for the successor even before the supervisor
    /// has read it.
    /// </summary>
    public void CloseGateForStop() => Interlocked.Or(ref _gate, GateStopAsked);

    /// <summary>
    /// The token a handler of this worker sees as <see cref="WorkerContext.ShutdownToken"/>: the runtime's shutdown
    /// token for pool workers; for an entity, one that also fires when the entity is stopped with notice
    /// (<see cref="GiveNotice"/>). Made on first use, so an entity whose handlers never ask costs nothing.
    /// </summary>
    public CancellationToken ShutdownToken(CancellationToken runtimeShutdown)
    {
        if (EntityKey is null)
        {
            return runtimeShutdown;
        }

        CancellationTokenSource? notice = Volatile.Read(ref _notice);
        if (notice is null)
        {
            var created = CancellationTokenSource.CreateLinkedTokenSource(runtimeShutdown);
            notice = Interlocked.CompareExchange(ref _notice, created, null) ?? created;
            if (notice != created)
            {
                created.Dispose();
            }
            else if (Volatile.Read(ref _noticeGiven) != 0)
            {
                // The notice came between the read above and the publication: GiveNotice may have missed it.
                CancelQuietly(created);
            }
        }

        try
        {
            return notice.Token;
        }
        catch (ObjectDisposedException)
        {
            // The worker has terminated (the source is disposed then): whatever asks is stale, shutdown applies.
            return new CancellationToken(canceled: true);
        }
    }

    /// <summary>
    /// Any thread: the entity is being stopped for good (its shard moves to another node). Fires the token its
    /// handlers see as <see cref="WorkerContext.ShutdownToken"/>, so endless responses end as they do at shutdown.
    /// </summary>
    public void GiveNotice()
    {
        Volatile.Write(ref _noticeGiven, 1);
        if (Volatile.Read(ref _notice) is { } notice)
        {
            CancelQuietly(notice);
        }
    }

    /// <summary>Any thread: cancels the request this worker is running right now, if any, for <paramref name="cause"/>.</summary>
    public void CancelCurrent(RequestOutcome cause) => Volatile.Read(ref _current)?.Cancel(cause);

    /// <summary>Route supervisor, once the actor has terminated: frees the notice token's link to the runtime's.</summary>
    public void DisposeNotice() => Volatile.Read(ref _notice)?.Dispose();

    /// <summary>The worker's next incarnation (the slot is its own props' producer: no factory closure per worker).</summary>
    public WorkerActor Produce() => new(_route, this);

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The worker has terminated already: nobody is left to tell.
        }
    }
}
