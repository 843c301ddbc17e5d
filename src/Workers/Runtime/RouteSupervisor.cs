using ActorHost.Actors;
using ActorHost.Workers.Events;

namespace ActorHost.Workers.Runtime;

/// <summary>
/// The supervisor of one route (<c>/user/routes/&lt;route&gt;</c>): its workers are its children and its
/// strategy (from the route's <c>supervision</c> name) decides about their failures. In pool mode it creates
/// the workers and publishes them to the route's router; in entity mode it is the entity directory: it creates
/// an entity's worker on first use, passivates idle ones, and holds requests for an entity that is passivating
/// until its successor exists, so none is dropped.
/// </summary>
internal sealed class RouteSupervisor : ReceiveActor
{
    private readonly RouteHost _route;
    private readonly Dictionary<string, Entity> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkerSlot> _pool = new(StringComparer.Ordinal);
    private readonly List<(HashSet<string> Names, TaskCompletionSource Done)> _stopWaiters = [];

    public RouteSupervisor(RouteHost route)
    {
        _route = route;
        Receive<RequestEnvelope>(OnRequest);
        Receive<Passivate>(OnPassivate);
        Receive<Terminated>(OnTerminated);
        Receive<FailStuckWorker>(OnStuck);
        Receive<StopEntities>(OnStopEntities);
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

    protected override void PostStop()
    {
        _route.PublishSlots([]);
        foreach ((_, TaskCompletionSource done) in _stopWaiters)
        {
            // The route itself is gone, and its entities with it.
            done.TrySetResult();
        }

        // Requests waiting for an entity's successor go back to this actor's own mailbox, which survives a
        // restart: the next incarnation of the route serves them; if the route is stopping for good they
        // become dead letters and are answered worker_stopped.
        foreach (Entity entity in _entities.Values)
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
            _ = RejectWithoutKeyAsync(envelope);
            return;
        }

        string name = EntityName.Encode(key);
        if (!_entities.TryGetValue(name, out Entity? entity))
        {
            entity = new Entity(Spawn(name, key));
            _entities.Add(name, entity);
        }

        if (entity.Waiting is not null || entity.Slot.Stopping)
        {
            // Passivating or stopping: the request waits for the entity's successor.
            (entity.Waiting ??= new Queue<RequestEnvelope>()).Enqueue(envelope);
            return;
        }

        _route.Deliver(entity.Slot, envelope);
    }

    private void OnPassivate(Passivate request)
    {
        // Only the live actor of that name may passivate, and only once; everything sent to it before the
        // stop message is still served by it (the mailbox is FIFO), everything after waits here.
        if (!_entities.TryGetValue(request.Slot.Name, out Entity? entity) || entity.Slot != request.Slot || entity.Waiting is not null)
        {
            return;
        }

        entity.Waiting = new Queue<RequestEnvelope>();
        entity.Slot.Passivating = true;
        entity.Slot.Ref.Tell(PoisonPill.Instance, Self);
    }

    private void OnStopEntities(StopEntities request)
    {
        // Like passivation, but chosen by key (the cluster stops the entities of shards it gives up): each
        // matching entity stops after the requests already in its mailbox; requests arriving meanwhile wait
        // for a successor as they do during passivation.
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, Entity entity) in _entities)
        {
            if (entity.Slot.EntityKey is not { } key || !request.KeyMatches(key))
            {
                continue;
            }

            names.Add(name);
            if (entity.Waiting is null)
            {
                entity.Waiting = new Queue<RequestEnvelope>();
                entity.Slot.Passivating = true;
                entity.Slot.Ref.Tell(PoisonPill.Instance, Self);
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
        if (_entities.Remove(name, out Entity? entity))
        {
            slot = entity.Slot;
        }
        else if (_pool.Remove(name, out WorkerSlot? pooled))
        {
            slot = pooled;
            _route.PublishSlots([.. _route.Slots.Where(s => s != pooled)]);
        }

        if (slot is null)
        {
            return;
        }

        slot.Terminated = true;
        _route.Ledger.Record(name, slot.Incarnation);

        // Requests that arrived while the entity was passivating go to a new incarnation.
        if (entity?.Waiting is { Count: > 0 } waiting)
        {
            var successor = new Entity(Spawn(name, entity.Slot.EntityKey));
            _entities.Add(name, successor);
            while (waiting.TryDequeue(out RequestEnvelope? envelope))
            {
                _route.Deliver(successor.Slot, envelope);
            }
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
        WorkerSlot? slot = _entities.TryGetValue(name, out Entity? entity) ? entity.Slot : _pool.GetValueOrDefault(name);

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
        var slot = new WorkerSlot(name, entityKey, _route.Ledger.Take(name));
        slot.Ref = Context.ActorOf(_route.WorkerProps(slot), name);
        Context.Watch(slot.Ref);
        return slot;
    }

    private async Task RejectWithoutKeyAsync(RequestEnvelope envelope)
    {
        await ProblemResponse.RejectAsync(envelope, 400, $"The request has no value for the entity key \"{_route.Options.EntityKey}\".");
        _route.Services.Untrack(envelope);
        envelope.TryComplete(new RequestResult(RequestOutcome.ClientError));
        envelope.MarkHandlerExited();
    }

    /// <summary>An entity's live worker, and the requests waiting while it passivates (null when not passivating).</summary>
    private sealed class Entity(WorkerSlot slot)
    {
        public WorkerSlot Slot { get; } = slot;

        public Queue<RequestEnvelope>? Waiting { get; set; }
    }
}
