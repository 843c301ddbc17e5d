using System.Globalization;

namespace ActorHost.Actors;

/// <summary>
/// Children: creation with unique names, stopping, and waiting for stopped children before a restart or a stop
/// completes. A name stays taken until the child's termination has reached this parent (as in Akka).
/// </summary>
internal sealed partial class ActorCell
{
    /// <summary>Creates a child. Thread-safe (guardians create children on behalf of any thread).</summary>
    public ActorCell CreateChild(Props props, string? name, bool systemCall = false)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is not null)
        {
            ActorName.Validate(name, allowReserved: systemCall);
        }

        var container = Volatile.Read(ref _children) ?? CreateChildrenContainer();
        ActorCell child;
        lock (container.ByName)
        {
            if (container.Closed || _lifecycle >= Lifecycle.Terminating)
            {
                if (_parent is null || _parent._parent is null)
                {
                    throw new ActorSystemTerminatedException($"The actor system \"{_system.Name}\" is terminating; cannot create {name ?? "an actor"} under {_path}.");
                }

                throw new InvalidOperationException($"{_path} is stopping and cannot create children.");
            }

            name ??= "$" + (++container.NameCounter).ToString("x", CultureInfo.InvariantCulture);
            if (container.ByName.ContainsKey(name))
            {
                throw new InvalidActorNameException(
                    $"Actor name \"{name}\" is not unique: {_path} already has a child with that name (a stopped child's name is free again once its termination has been processed by the parent).");
            }

            child = new ActorCell(_system, this, _path.Child(name), props);
            container.ByName.Add(name, child);
        }

        child.SendSystem(new CreateMessage());
        return child;
    }

    public bool IsLiveChild(ActorCell cell)
    {
        if (!ReferenceEquals(cell._parent, this) || _children is not { } container)
        {
            return false;
        }

        lock (container.ByName)
        {
            return container.ByName.TryGetValue(cell._path.Name, out var existing) && ReferenceEquals(existing, cell);
        }
    }

    public ActorCell? GetChild(string name)
    {
        if (_children is not { } container)
        {
            return null;
        }

        lock (container.ByName)
        {
            return container.ByName.GetValueOrDefault(name);
        }
    }

    public List<ActorCell> GetChildren() => _children?.Snapshot() ?? [];

    public int ChildCount
    {
        get
        {
            if (_children is not { } container)
            {
                return 0;
            }

            lock (container.ByName)
            {
                return container.ByName.Count;
            }
        }
    }

    /// <summary>Owner only: asks a child to stop and remembers to wait for it.</summary>
    private void StopChild(ActorCell child)
    {
        if (_children is { } container)
        {
            lock (container.ByName)
            {
                if (!child._dyingMarkedByParent && container.ByName.TryGetValue(child._path.Name, out var existing) && ReferenceEquals(existing, child))
                {
                    child._dyingMarkedByParent = true;
                    container.DyingCount++;
                }
            }
        }

        child.SendSystem(new TerminateMessage());
    }

    /// <summary>Owner only: stops every child before a new instance is built; true if we must wait for them.</summary>
    private bool StopAllChildren()
    {
        if (_children is not { } container)
        {
            return false;
        }

        foreach (var child in container.Snapshot())
        {
            StopChild(child);
        }

        lock (container.ByName)
        {
            return container.DyingCount > 0;
        }
    }

    /// <summary>Owner only: stops all children for our own termination; true if we must wait for them.</summary>
    private bool StopChildrenForTermination()
    {
        if (_children is not { } container)
        {
            return false;
        }

        List<ActorCell> children;
        lock (container.ByName)
        {
            container.Closed = true;
            children = [.. container.ByName.Values];
        }

        if (_parent is null)
        {
            // The root stops /user first and /system only after it (so runtime actors see user actors stop).
            children.Sort((a, b) => a._path.Name == "user" ? -1 : b._path.Name == "user" ? 1 : 0);
            if (children.Count > 0)
            {
                StopChild(children[0]);
            }

            return children.Count > 0;
        }

        foreach (var child in children)
        {
            StopChild(child);
        }

        return children.Count > 0;
    }

    private void OnChildTerminated(ActorCell child)
    {
        ForgetChild(child);

        // A parent's watch on its own child was never registered with the child (see Watch): it is answered here,
        // after the name is free and the parent's own lifecycle has moved on, as a DeathWatchNotification would be.
        OnWatchedChildTerminated(child);
    }

    private void ForgetChild(ActorCell child)
    {
        var container = _children;
        if (container is null)
        {
            return;
        }

        int remaining;
        int dying;
        lock (container.ByName)
        {
            if (container.ByName.TryGetValue(child._path.Name, out var existing) && ReferenceEquals(existing, child))
            {
                container.ByName.Remove(child._path.Name);
                if (child._dyingMarkedByParent)
                {
                    container.DyingCount--;
                }
            }

            remaining = container.ByName.Count;
            dying = container.DyingCount;
        }

        if (_lifecycle == Lifecycle.Terminating)
        {
            if (_parent is null && remaining > 0)
            {
                // Root: /user is gone, now /system.
                if (dying == 0)
                {
                    foreach (var next in container.Snapshot())
                    {
                        StopChild(next);
                    }
                }

                return;
            }

            if (dying == 0 && remaining == 0)
            {
                FinishTerminate();
            }

            return;
        }

        if (_lifecycle == Lifecycle.Restarting && dying == 0 && _extras?.RecreateCause is { } cause)
        {
            _extras.RecreateCause = null;
            FinishRecreate(cause);
            return;
        }

        if (_parent is null && ReferenceEquals(child, _system.UserGuardianCell))
        {
            // /user stopped (someone stopped it): the system terminates, as in Akka.
            _system.BeginTermination(TerminationReason.Normal);
        }
    }

    private ChildrenContainer CreateChildrenContainer()
    {
        var created = new ChildrenContainer();
        return Interlocked.CompareExchange(ref _children, created, null) ?? created;
    }

    /// <summary>Owner only (via the context): stop self, a child, or any other actor of the system.</summary>
    public void StopFromContext(IActorRef actor)
    {
        switch (actor)
        {
            case ActorCell self when ReferenceEquals(self, this):
                SendSystem(new TerminateMessage());
                break;
            case ActorCell child when ReferenceEquals(child._parent, this):
                StopChild(child);
                break;
            case ActorCell other:
                other.SendSystem(new TerminateMessage());
                break;
            default:
                throw new ArgumentException($"Cannot stop {actor.Path}: it is not an actor of this system.", nameof(actor));
        }
    }
}
