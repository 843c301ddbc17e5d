namespace ActorHost.Actors;

/// <summary>
/// Death watch: a watcher registers with the watchee (<see cref="WatchMessage"/>); when the watchee terminates it
/// notifies every watcher (<see cref="DeathWatchNotification"/>), which turns into a <see cref="Terminated"/>
/// user message if the watcher still watches. Watching an actor that is already dead answers at once.
/// A parent watching its own live child registers nothing with the child: the parent hears of the child's end
/// anyway (<see cref="ChildTerminatedMessage"/>) and turns that into the <see cref="Terminated"/>, so a
/// supervisor watching 100,000 entity workers does not give each of them a watcher set; nor does it keep them in
/// its own watching set: the mark is a flag on the child.
/// </summary>
internal sealed partial class ActorCell
{
    // Set and read only by this cell's parent, in the parent's turns: the parent watches this child.
    private bool _watchedByParent;

    /// <summary>Owner only (via the context).</summary>
    public void Watch(IActorRef subject)
    {
        if (subject is not IInternalActorRef target)
        {
            throw new ArgumentException($"Cannot watch {subject.Path}: it is not an actor of this system.", nameof(subject));
        }

        if (ReferenceEquals(target, this))
        {
            return;
        }

        if (target is ActorCell child && IsLiveChild(child))
        {
            child._watchedByParent = true;
            return;
        }

        var extras = Extras;
        extras.Watching ??= [];
        if (extras.Watching.Add(subject))
        {
            target.SendSystem(new WatchMessage(this, watch: true));
        }
    }

    /// <summary>Owner only (via the context).</summary>
    public void Unwatch(IActorRef subject)
    {
        if (subject is not IInternalActorRef target)
        {
            return;
        }

        _extras?.TerminatedQueued?.Remove(subject);
        if (target is ActorCell child && ReferenceEquals(child._parent, this))
        {
            // Watched as a live child: only the flag (a child that has already terminated is forgotten too).
            child._watchedByParent = false;
        }

        if (_extras?.Watching is { } watching && watching.Remove(subject))
        {
            target.SendSystem(new WatchMessage(this, watch: false));
        }
    }

    private void OnWatchMessage(WatchMessage message)
    {
        if (message.IsWatch)
        {
            if (_lifecycle == Lifecycle.Terminated)
            {
                message.Watcher.SendSystem(new DeathWatchNotification(this));
                return;
            }

            var extras = Extras;
            extras.WatchedBy ??= [];
            extras.WatchedBy.Add(message.Watcher);
            return;
        }

        _extras?.WatchedBy?.Remove(message.Watcher);
    }

    private void OnWatchedTerminated(IInternalActorRef actor)
    {
        if (_extras?.Watching is not { } watching || !watching.Remove(actor))
        {
            return;
        }

        QueueTerminated(actor);
    }

    /// <summary>A child this cell watched has terminated (its end reached us as ChildTerminated).</summary>
    private void OnWatchedChildTerminated(ActorCell child)
    {
        if (!child._watchedByParent)
        {
            return;
        }

        child._watchedByParent = false;
        QueueTerminated(child);
    }

    private void QueueTerminated(IInternalActorRef actor)
    {
        if (_lifecycle >= Lifecycle.Terminating)
        {
            return;
        }

        var extras = Extras;
        extras.TerminatedQueued ??= [];
        extras.TerminatedQueued.Add(actor);
        EnqueueInternal(new Terminated(actor), actor);
    }

    /// <summary>A queued Terminated is delivered only if the actor did not unwatch in the meantime.</summary>
    private bool TakeQueuedTerminated(Terminated terminated)
        => _extras?.TerminatedQueued?.Remove(terminated.Actor) ?? false;

    private void NotifyWatchers()
    {
        if (_extras?.WatchedBy is not { } watchers)
        {
            return;
        }

        _extras.WatchedBy = null;
        foreach (var watcher in watchers)
        {
            watcher.SendSystem(new DeathWatchNotification(this));
        }
    }

    /// <summary>Stops watching everything (we are stopping: no Terminated will be delivered any more).</summary>
    private void UnwatchAll()
    {
        if (_extras?.Watching is not { } watching)
        {
            return;
        }

        _extras.Watching = null;
        _extras.TerminatedQueued = null;
        foreach (var subject in watching)
        {
            ((IInternalActorRef)subject).SendSystem(new WatchMessage(this, watch: false));
        }
    }
}
