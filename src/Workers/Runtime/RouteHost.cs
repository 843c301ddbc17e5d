using System.Collections.Concurrent;
using ActorHost.Actors;
using ActorHost.Workers.Diagnostics;
using ActorHost.Workers.Options;
using ActorHost.Workers.Registration;
using ActorHost.Workers.Runtime.Routing;

namespace ActorHost.Workers.Runtime;

/// <summary>
/// One route as the runtime sees it, outliving its supervisor's restarts: the options, the worker
/// registration, the strategy, and the live workers that requests are sent to directly (no hop through the
/// supervisor: a worker's ref survives its restarts, and a stopped worker's mail becomes a dead letter that
/// completes the request as worker_stopped). For pools these are the router's workers; for entities, the
/// supervisor's entity directory, which dispatching threads read and only the supervisor writes.
/// </summary>
internal sealed class RouteHost
{
    private readonly IRouter? _router;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WorkerSlot[] _slots = [];
    private int _liveWorkers;
    private int _noLiveWorkers;
    private volatile bool _rebuilding;

    public RouteHost(RouteOptions options, WorkerRegistration registration, SupervisorStrategy strategy, RuntimeServices services)
    {
        Options = options;
        Registration = registration;
        Strategy = strategy;
        Services = services;
        _router = options.Mode == RouteMode.Entity ? null : options.Router switch
        {
            RouterKind.LeastBusy => new LeastBusyRouter(),
            RouterKind.ConsistentHash => new ConsistentHashRouter(options.HashKey),
            _ => new RoundRobinRouter(),
        };
    }

    public string Name => Options.Name;

    public RouteOptions Options { get; }

    public bool IsEntity => Options.Mode == RouteMode.Entity;

    public WorkerRegistration Registration { get; }

    public SupervisorStrategy Strategy { get; }

    public RuntimeServices Services { get; }

    public IncarnationLedger Ledger { get; } = new(10_000);

    /// <summary>
    /// Entity mode: the live entities by actor name. Written only by the route supervisor (it is its directory,
    /// emptied when a new supervisor incarnation starts), read by dispatching threads.
    /// </summary>
    public ConcurrentDictionary<string, WorkerSlot> Entities { get; } = new(StringComparer.Ordinal);

    /// <summary>The route supervisor; set by <c>/user/routes</c> when it creates it.</summary>
    public IActorRef Supervisor { get; set; } = null!;

    /// <summary>Completes once the supervisor has started (and, for a pool, created its workers).</summary>
    public Task Ready => _ready.Task;

    public int LiveWorkers => Volatile.Read(ref _liveWorkers);

    public WorkerSlot[] Slots => Volatile.Read(ref _slots);

    public void MarkReady() => _ready.TrySetResult();

    /// <summary>
    /// Pool mode: supervision has stopped every worker of the pool (or the route supervisor itself for good), so
    /// every request is answered worker_stopped until a route-level restart rebuilds the pool. Not set while the
    /// route is being restarted or the runtime shuts down: those empty the pool too, but on purpose.
    /// </summary>
    public bool HasNoLiveWorkers => Volatile.Read(ref _noLiveWorkers) != 0;

    /// <summary>The route supervisor is restarting: its pool is empty until the next incarnation publishes a new one.</summary>
    public void BeginRebuild() => _rebuilding = true;

    /// <summary>Publishes the pool the router picks from: the supervisor's workers at start, none when it stops.</summary>
    public void PublishSlots(WorkerSlot[] slots)
    {
        Volatile.Write(ref _slots, slots);
        if (slots.Length == 0)
        {
            PoolEmptied();
            return;
        }

        _rebuilding = false;
        if (Interlocked.Exchange(ref _noLiveWorkers, 0) != 0)
        {
            WorkerLog.PoolWorkersBack(Services.Logger, Name, slots.Length, Options.Instances);
        }
    }

    /// <summary>Takes a stopping worker out of the router at once (before its supervisor hears it terminated).</summary>
    public void Withdraw(WorkerSlot slot)
    {
        WorkerSlot[] current, updated;
        do
        {
            current = Volatile.Read(ref _slots);
            if (Array.IndexOf(current, slot) < 0)
            {
                return;
            }

            updated = [.. current.Where(s => s != slot)];
        }
        while (Interlocked.CompareExchange(ref _slots, updated, current) != current);

        if (updated.Length == 0)
        {
            PoolEmptied();
        }
    }

    public void WorkerStarted() => Interlocked.Increment(ref _liveWorkers);

    public void WorkerEnded() => Interlocked.Decrement(ref _liveWorkers);

    public Props WorkerProps(WorkerSlot slot)
    {
        Props props = Props.Create(slot);
        return Services.WorkerMailbox is { } mailbox ? props.WithMailbox(mailbox) : props;
    }

    /// <summary>
    /// Sends the request to its worker directly: a pool's chosen worker, or a live entity whose gate is open.
    /// A request for an entity that does not exist yet, or is passivating or stopping, goes through the
    /// supervisor, which creates the entity or holds the request for its successor.
    /// </summary>
    public void Dispatch(RequestEnvelope envelope)
    {
        if (_router is null)
        {
            DispatchToEntity(envelope);
            return;
        }

        WorkerSlot[] slots = Slots;
        if (slots.Length == 0)
        {
            Services.Untrack(envelope);
            RequestCompletion.WorkerStopped(envelope, HasNoLiveWorkers
                ? new NoLiveWorkersException(Name, Options.Instances)
                : new ActorStoppedException(_rebuilding ? $"Route \"{Name}\" is restarting; none of its workers is live yet." : $"Route \"{Name}\" has no live worker."));
            return;
        }

        Deliver(_router.Select(slots, envelope), envelope);
    }

    /// <summary>
    /// The pool has just lost its last worker. Only supervision makes that lasting: a route restart rebuilds the
    /// pool and a shutdown ends everything, so neither is reported. Once per loss, since a pool never grows back
    /// by itself and the operator must learn that this route can no longer serve.
    /// </summary>
    private void PoolEmptied()
    {
        if (IsEntity || _rebuilding || Services.ShutdownToken.IsCancellationRequested || Services.System.IsTerminating)
        {
            return;
        }

        if (Interlocked.Exchange(ref _noLiveWorkers, 1) == 0)
        {
            WorkerLog.PoolWithoutLiveWorkers(Services.Logger, Name, Options.Instances);
        }
    }

    private void DispatchToEntity(RequestEnvelope envelope)
    {
        if (envelope.Request.EntityKey is { Length: > 0 } key
            && Entities.TryGetValue(EntityName.Encode(key), out WorkerSlot? entity)
            && entity.TryEnter())
        {
            try
            {
                Deliver(entity, envelope);
            }
            finally
            {
                entity.Exit();
            }

            return;
        }

        Supervisor.Tell(envelope);
    }

    /// <summary>Queues the request on a worker; a full bounded mailbox refuses it as overloaded (the worker is busy, not stopped).</summary>
    public void Deliver(WorkerSlot slot, RequestEnvelope envelope)
    {
        slot.Enqueued();
        try
        {
            slot.Ref.Tell(envelope);
        }
        catch (MailboxFullException full)
        {
            slot.Dropped();
            Services.Untrack(envelope);
            RequestCompletion.Overloaded(envelope, new HandlerIdentity(slot.Path, slot.Incarnation), full);
        }
    }
}
