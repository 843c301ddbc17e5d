using System.Collections.Concurrent;
using ActorHost.Actors;
using ActorHost.Workers.Events;

namespace ActorHost.Workers.Runtime;

/// <summary>
/// The supervisor of one route (<c>/user/routes/&lt;route&gt;</c>): its workers are its children and its
/// strategy (from the route's <c>supervision</c> name) decides about their failures. In pool mode it creates
/// the workers and publishes them to the route's router; in entity mode it keeps the entity directory
/// (<see cref="RouteHost.Entities"/>): it creates an entity's worker on first use, passivates idle ones, and holds
/// requests for an entity that is passivating until its successor exists, so none is dropped. Requests for a live
/// entity go to it directly; each entity's gate (<see cref="WorkerSlot.TryEnter"/>) is closed by this actor
/// before it stops the entity, so a request either reaches the entity before its stop message or comes here.
/// Idleness is checked by one periodic tick per route (every <c>passivate-after</c>, armed while the route has
/// entities) against each worker's last activity, not by a timer per entity: an idle entity costs no timer, and an
/// entity passivates after between one and two periods without requests.
/// </summary>
internal sealed class RouteSupervisor : ReceiveActor
{
    private readonly RouteHost _route;
    private readonly ConcurrentDictionary<string, WorkerSlot> _entities;
    private readonly Dictionary<string, WorkerSlot> _pool = new(StringComparer.Ordinal);
    private readonly List<(HashSet<string> Names, TaskCompletionSource Done)> _stopWaiters = [];
    private ITimer? _passivationTimer;

    public RouteSupervisor(RouteHost route)
    {
        _route = route;

        // A new incarnation of the supervisor starts without entities: the previous one's were its children,
        // stopped with it.
        _entities = route.Entities;
        _entities.Clear();
        Receive<RequestEnvelope>(OnRequest);
        Receive<Terminated>(OnTerminated);
        Receive<FailStuckWorker>(OnStuck);
        Receive<StopEntities>(OnStopEntities);
        Receive<PassivationTick>(_ => OnPassivationTick());
    }

    protected override void PreStart()
    {
        if (!_route.IsEntity)
        {
            var slots = new WorkerSlot[_route.Options.Instances];
            for (int i = 0; i < slots.Length; i++)
            {
                slots[i] = Spawn($"worker-{i + 1}", entityKey: null);
                _pool.Add(slots[i].Name, slots[i]);
            }

            _route.PublishSlots(slots);
        }

        _route.MarkReady();
    }

    protected override void PreRestart(Exception reason, object? message)
    {
        // The pool empties from here on (PostStop, the children's own stops) only until the next incarnation
        // publishes a new one: not a loss to report.
        _route.BeginRebuild();

        // The children are about to be stopped: from now on requests come here and wait in this actor's mailbox,
        // which the next incarnation serves.
        foreach ((_, WorkerSlot entity) in _entities)
        {
            entity.CloseGate();
        }

        // base.PreRestart unwatches the children before it stops them, so no Terminated will record their
        // incarnations: recorded here, so the next incarnation's workers of the same names continue the count.
        foreach ((string name, WorkerSlot entity) in _entities)
        {
            _route.Ledger.Record(name, entity.Incarnation);
        }

        foreach ((string name, WorkerSlot worker) in _pool)
        {
            _route.Ledger.Record(name, worker.Incarnation);
        }

        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        _passivationTimer?.Dispose();
        _route.PublishSlots([]);
        foreach ((_, TaskCompletionSource done) in _stopWaiters)
        {
            // The route itself is gone, and its entities with it.
            done.TrySetResult();
        }

        // Requests waiting for an entity's successor go back to this actor's own mailbox, which survives a
        // restart: the next incarnation of the route serves them; if the route is stopping for good they
        // become dead letters and are answered worker_stopped.
        foreach ((_, WorkerSlot entity) in _entities)
        {
            while (entity.Waiting?.TryDequeue(out RequestEnvelope? envelope) == true)
            {
                Self.Tell(envelope);
            }
        }
    }

    private void OnRequest(RequestEnvelope envelope)
    {
        if (!_route.IsEntity)
        {
            // Pool requests normally go straight to a worker; one that came here (e.g. sent before the pool was
            // published) is routed now.
            _route.Dispatch(envelope);
            return;
        }

        string? key = envelope.Request.EntityKey;
        if (string.IsNullOrEmpty(key))
        {
            RejectWithoutKey(envelope);
            return;
        }

        string name = EntityName.Encode(key);
        if (!_entities.TryGetValue(name, out WorkerSlot? entity))
        {
            entity = Spawn(name, key);
            _entities[name] = entity;
        }

        if (entity.Waiting is not null || entity.Stopping)
        {
            // Passivating or stopping: the request waits for the entity's successor.
            (entity.Waiting ??= new Queue<RequestEnvelope>()).Enqueue(envelope);
            return;
        }

        _route.Deliver(entity, envelope);
    }

    private void OnPassivationTick()
    {
        // A candidate's gate is closed before it is checked again: requests delivered directly are counted as busy
        // before they are queued, so an entity found idle behind a closed gate cannot receive one before its stop
        // message, and one that took a request meanwhile is left running.
        TimeProvider time = _route.Services.Time;
        TimeSpan idleFor = _route.Options.PassivateAfter;
        long now = time.GetTimestamp();
        foreach ((_, WorkerSlot slot) in _entities)
        {
            if (slot.Waiting is not null || slot.Stopping || slot.Busy != 0 || time.GetElapsedTime(slot.LastActivity, now) < idleFor)
            {
                continue;
            }

            slot.CloseGate();
            if (slot.Busy == 0)
            {
                BeginPassivation(slot);
            }
            else
            {
                slot.OpenGate();
            }
        }
    }

    private void BeginPassivation(WorkerSlot entity)
    {
        // Everything sent to the entity before the stop message is still served by it (the mailbox is FIFO),
        // everything after waits here for its successor: the closed gate sends it here.
        entity.CloseGate();
        entity.Waiting = new Queue<RequestEnvelope>();
        entity.Passivating = true;
        entity.Ref.Tell(PoisonPill.Instance, Self);
    }

    private void OnStopEntities(StopEntities request)
    {
        // Like passivation, but chosen by key (the cluster stops the entities of shards it gives up): each
        // matching entity stops after the requests already in its mailbox; requests arriving meanwhile wait
        // for a successor as they do during passivation.
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, WorkerSlot entity) in _entities)
        {
            if (entity.EntityKey is not { } key || !request.KeyMatches(key))
            {
                continue;
            }

            names.Add(name);
            if (entity.Waiting is null)
            {
                BeginPassivation(entity);
            }
        }

        if (names.Count == 0)
        {
            request.Done.TrySetResult();
            return;
        }

        _stopWaiters.Add((names, request.Done));
    }

    private void OnTerminated(Terminated terminated)
    {
        string name = terminated.Actor.Path.Name;
        for (int i = _stopWaiters.Count - 1; i >= 0; i--)
        {
            if (_stopWaiters[i].Names.Remove(name) && _stopWaiters[i].Names.Count == 0)
            {
                _stopWaiters[i].Done.TrySetResult();
                _stopWaiters.RemoveAt(i);
            }
        }

        WorkerSlot? slot = null;
        if (_entities.TryRemove(name, out WorkerSlot? entity))
        {
            slot = entity;
        }
        else if (_pool.Remove(name, out WorkerSlot? pooled))
        {
            slot = pooled;

            // Usually withdrawn already (at the stop decision or in its PostStop); a worker whose start failed was not.
            _route.Withdraw(pooled);
        }

        if (slot is null)
        {
            return;
        }

        slot.Terminated = true;
        slot.DisposeNotice();
        _route.Ledger.Record(name, slot.Incarnation);
        if (_entities.IsEmpty && entity?.Waiting is not { Count: > 0 })
        {
            _passivationTimer?.Dispose();
            _passivationTimer = null;
        }

        // Requests that arrived while the entity was passivating go to a new incarnation, before it is published
        // for direct delivery, so they are not overtaken by later ones.
        if (entity?.Waiting is { Count: > 0 } waiting)
        {
            WorkerSlot successor = Spawn(name, entity.EntityKey);
            while (waiting.TryDequeue(out RequestEnvelope? envelope))
            {
                _route.Deliver(successor, envelope);
            }

            _entities[name] = successor;
        }
    }

    private void OnStuck(FailStuckWorker stuck)
    {
        if (stuck.Envelope.Handler is not { } handler)
        {
            return;
        }

        // The path's last element is the child's name exactly as created (already encoded); not parsed, since
        // parsing would unescape it.
        string name = handler.Path[(handler.Path.LastIndexOf('/') + 1)..];
        WorkerSlot? slot = _entities.TryGetValue(name, out WorkerSlot? entity) ? entity : _pool.GetValueOrDefault(name);

        // Only the worker still running that very request is failed; one that has moved on is left alone.
        if (slot is null || !slot.IsServing(stuck.Envelope))
        {
            return;
        }

        var timeout = new TimeoutException(
            $"The handler of request {stuck.Envelope.Request.RequestId} on {handler.Path} ignored its cancellation past the route's stuck-after; its incarnation {handler.Incarnation} is retired.");
        _route.Services.RecordFailure(timeout, new FailureOrigin(_route.Name, handler.Path, handler.Incarnation, _route, slot));
        _route.Services.Events.Publish(new PendingWorkerEvent(
            new WorkerStuck(_route.Name, handler.Path, handler.Incarnation, stuck.Envelope.Request.RequestId) { Timestamp = _route.Services.Time.GetUtcNow() }));
        Context.Fail(slot.Ref, timeout);
    }

    private WorkerSlot Spawn(string name, string? entityKey)
    {
        if (_route.IsEntity && _passivationTimer is null && _route.Options.PassivateAfter != Timeout.InfiniteTimeSpan)
        {
            // Armed while the route has entities, so a route without any has no timer running.
            TimeSpan period = _route.Options.PassivateAfter;
            _passivationTimer = _route.Services.Time.CreateTimer(static self => ((IActorRef)self!).Tell(PassivationTick.Instance), Self, period, period);
        }

        var slot = new WorkerSlot(_route, name, entityKey, _route.Ledger.Take(name), _route.Services.Time.GetTimestamp());
        slot.Ref = Context.ActorOf(_route.WorkerProps(slot), name);
        Context.Watch(slot.Ref);
        return slot;
    }

    private void RejectWithoutKey(RequestEnvelope envelope)
    {
        // Nothing was sent: the host answers the 400 from the outcome, as for a handler's ClientInputException.
        _route.Services.Untrack(envelope);
        envelope.TryComplete(new RequestResult(RequestOutcome.ClientError,
            new ClientInputException(400, $"The request has no value for the entity key \"{_route.Options.EntityKey}\".")));
        envelope.MarkHandlerExited();
    }
}
