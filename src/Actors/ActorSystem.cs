namespace ActorHost.Actors;

/// <summary>
/// A tree of actors: the root guardian <c>/</c>, the user guardian <c>/user</c> (parent of
/// <see cref="ActorOf"/> actors) and the system guardian <c>/system</c> (runtime actors, e.g. test probes).
/// Thread-safe.
/// </summary>
public sealed class ActorSystem : IAsyncDisposable
{
    private readonly TaskCompletionSource<TerminationReason> _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorCell _root;
    private readonly ActorCell _userGuardian;
    private readonly ActorCell _systemGuardian;
    private readonly DeadLetterRef _deadLetters;
    private TerminationReason? _reason;
    private ITimer? _terminationTimer;
    private int _completed;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        EventStream = new EventStream(settings.EventSubscriberCapacity);
        Scheduler = new Scheduler(settings.TimeProvider);
        _deadLetters = new DeadLetterRef(this);

        // The root escalates everything it is told about: a failure reaching it terminates the system.
        var rootStrategy = new OneForOneStrategy(static _ => Directive.Escalate);
        _root = new ActorCell(this, null, ActorPath.Root, Props.Create(() => new GuardianActor(rootStrategy)));
        _root.SendSystem(new CreateMessage());
        var userStrategy = settings.UserGuardianStrategy ?? SupervisorStrategy.DefaultStrategy;
        _userGuardian = _root.CreateChild(Props.Create(() => new GuardianActor(userStrategy)), "user", systemCall: true);
        _systemGuardian = _root.CreateChild(Props.Create(() => new GuardianActor(SupervisorStrategy.DefaultStrategy)), "system", systemCall: true);
    }

    /// <summary>The system's name.</summary>
    public string Name { get; }

    /// <summary>The settings it was created with.</summary>
    public ActorSystemSettings Settings { get; }

    /// <summary>The clock (<see cref="ActorSystemSettings.TimeProvider"/>).</summary>
    public TimeProvider TimeProvider => Settings.TimeProvider;

    /// <summary>Lifecycle events, dead letters, unhandled messages and user-published events.</summary>
    public EventStream EventStream { get; }

    /// <summary>Timed message delivery on the system's clock.</summary>
    public Scheduler Scheduler { get; }

    /// <summary>Messages sent here are published as <see cref="DeadLetter"/>; an Ask to it fails with <see cref="DeadLetterException"/>.</summary>
    public IActorRef DeadLetters => _deadLetters;

    /// <summary>The user guardian <c>/user</c> (parent of top-level actors).</summary>
    public IActorRef UserGuardian => _userGuardian;

    /// <summary>Completes when the system has terminated, with why. Never faults.</summary>
    public Task<TerminationReason> WhenTerminated => _terminated.Task;

    /// <summary>True once termination has begun.</summary>
    public bool IsTerminating => Volatile.Read(ref _reason) is not null;

    internal ActorCell UserGuardianCell => _userGuardian;

    internal AskTimeoutSweeper AskTimeouts { get; } = new();

    internal DateTimeOffset Now => Settings.TimeProvider.GetUtcNow();

    /// <summary>Creates an actor system.</summary>
    /// <exception cref="ArgumentException">The name is empty or contains characters other than letters, digits, '-', '_' and '.'.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                throw new ArgumentException($"Actor system name \"{name}\" may contain only ASCII letters, digits, '-', '_' and '.'.", nameof(name));
            }
        }

        settings ??= new ActorSystemSettings();
        settings.Validate();
        return new ActorSystem(name, settings);
    }

    /// <summary>Creates a top-level actor under <c>/user</c>. See <see cref="IActorContext.ActorOf"/>.</summary>
    /// <exception cref="InvalidActorNameException">The name is invalid or taken.</exception>
    /// <exception cref="ActorSystemTerminatedException">The system is terminating.</exception>
    public IActorRef ActorOf(Props props, string? name = null)
    {
        ThrowIfTerminating(name);
        return _userGuardian.CreateChild(props, name);
    }

    /// <summary>Creates a runtime actor under <c>/system</c> (stopped after all <c>/user</c> actors on termination).</summary>
    /// <exception cref="InvalidActorNameException">The name is invalid or taken.</exception>
    /// <exception cref="ActorSystemTerminatedException">The system is terminating.</exception>
    public IActorRef SystemActorOf(Props props, string? name = null)
    {
        ThrowIfTerminating(name);
        return _systemGuardian.CreateChild(props, name);
    }

    /// <summary>Stops any actor of this system asynchronously (children first, then its PostStop).</summary>
    /// <exception cref="ArgumentException">Not an actor of this system.</exception>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is not ActorCell cell || !ReferenceEquals(cell.System, this))
        {
            throw new ArgumentException($"{actor.Path} is not an actor of the system \"{Name}\".", nameof(actor));
        }

        cell.SendSystem(new TerminateMessage());
    }

    /// <summary>
    /// Begins an orderly termination (user actors, children before parents, all PostStop hooks; then system
    /// actors), bounded by <see cref="ActorSystemSettings.TerminationTimeout"/>. Returns <see cref="WhenTerminated"/>.
    /// </summary>
    public Task<TerminationReason> Terminate()
    {
        BeginTermination(TerminationReason.Normal);
        return WhenTerminated;
    }

    /// <summary>A snapshot of <paramref name="actor"/> (path, incarnation, state, counters, mailbox depth, last failure), or <see langword="null"/> if it is not an actor of this system.</summary>
    public ActorSnapshot? Inspect(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor is ActorCell cell && ReferenceEquals(cell.System, this) ? cell.Snapshot() : null;
    }

    /// <summary>The live children of <paramref name="actor"/> (empty if none or not an actor of this system).</summary>
    public IReadOnlyList<IActorRef> GetChildren(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor is ActorCell cell && ReferenceEquals(cell.System, this) ? cell.GetChildren() : [];
    }

    /// <summary>The live actor at <paramref name="path"/>, or <see langword="null"/>.</summary>
    public IActorRef? Resolve(ActorPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ActorCell? cell = _root;
        foreach (var element in path.Elements)
        {
            cell = cell.GetChild(element);
            if (cell is null)
            {
                return null;
            }
        }

        return cell;
    }

    /// <summary>Terminates the system and waits for it.</summary>
    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    /// <inheritdoc />
    public override string ToString() => $"ActorSystem({Name})";

    internal void BeginTermination(TerminationReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, null) is not null)
        {
            return;
        }

        EventStream.Publish(new ActorSystemTerminating(reason) { Timestamp = Now });
        if (Settings.TerminationTimeout != Timeout.InfiniteTimeSpan)
        {
            // Real time, not Settings.TimeProvider: the bound is for actors whose threads do not come back (a blocked
            // PostStop or handler), which no virtual clock can free; on a manual clock nobody advances during shutdown,
            // termination would otherwise never end. Detached: it must not keep the terminating caller's context.
            _terminationTimer = DetachedTimer.Create(
                TimeProvider.System,
                static s => ((ActorSystem)s!).Complete(timedOut: true),
                this,
                Settings.TerminationTimeout,
                Timeout.InfiniteTimeSpan);
        }

        _root.SendSystem(new TerminateMessage());
    }

    /// <summary>A failure escalated to the root guardian: terminate, escalated.</summary>
    internal void OnRootFailure(Exception cause, ActorPath origin) => BeginTermination(TerminationReason.Escalated(cause, origin));

    internal void OnRootTerminated()
    {
        // The root can only stop through BeginTermination; be defensive anyway.
        Interlocked.CompareExchange(ref _reason, TerminationReason.Normal, null);
        Complete(timedOut: false);
    }

    internal void PublishDeadLetter(object message, IActorRef? sender, IActorRef recipient, bool recipientStopped)
    {
        if (sender is IAskPromise promise)
        {
            promise.TryFail(recipientStopped
                ? new ActorStoppedException($"{recipient.Path} is stopped; the message of type {message.GetType().Name} was not processed.")
                : new DeadLetterException($"The message of type {message.GetType().Name} to {recipient.Path} could not be delivered (dead letter)."));
        }

        if (EventStream.HasSubscribers)
        {
            EventStream.Publish(new DeadLetter(message, sender, recipient) { Timestamp = Now });
        }
    }

    private void Complete(bool timedOut)
    {
        var reason = Volatile.Read(ref _reason) ?? TerminationReason.Normal;
        if (timedOut)
        {
            reason = reason with { TimedOut = true };
        }

        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        // Subscriptions complete before WhenTerminated does, so a subscription made after `await Terminate()`
        // is complete from the start.
        _terminationTimer?.Dispose();
        EventStream.CompleteAll();
        _terminated.TrySetResult(reason);
    }

    private void ThrowIfTerminating(string? name)
    {
        if (IsTerminating)
        {
            throw new ActorSystemTerminatedException($"The actor system \"{Name}\" is terminating; cannot create {name ?? "an actor"}.");
        }
    }
}
