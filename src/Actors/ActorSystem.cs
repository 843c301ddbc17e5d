namespace ActorHost.Actors;

/// <summary>
/// A tree of actors: the root guardian <c>/</c>, the user guardian <c>/user</c> (parent of
/// <see cref="ActorOf"/> actors) and the system guardian <c>/system</c> (runtime actors, e.g. test probes).
/// Thread-safe.
/// </summary>
public sealed class ActorSystem : IAsyncDisposable
{
    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        EventStream = new EventStream(settings.EventSubscriberCapacity);
        Scheduler = new Scheduler(settings.TimeProvider);
        throw new NotImplementedException();
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
    public IActorRef DeadLetters => throw new NotImplementedException();

    /// <summary>The user guardian <c>/user</c> (parent of top-level actors).</summary>
    public IActorRef UserGuardian => throw new NotImplementedException();

    /// <summary>Completes when the system has terminated, with why. Never faults.</summary>
    public Task<TerminationReason> WhenTerminated => throw new NotImplementedException();

    /// <summary>True once termination has begun.</summary>
    public bool IsTerminating => throw new NotImplementedException();

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
    public IActorRef ActorOf(Props props, string? name = null) => throw new NotImplementedException();

    /// <summary>Creates a runtime actor under <c>/system</c> (stopped after all <c>/user</c> actors on termination).</summary>
    /// <exception cref="InvalidActorNameException">The name is invalid or taken.</exception>
    /// <exception cref="ActorSystemTerminatedException">The system is terminating.</exception>
    public IActorRef SystemActorOf(Props props, string? name = null) => throw new NotImplementedException();

    /// <summary>Stops any actor of this system asynchronously (children first, then its PostStop).</summary>
    public void Stop(IActorRef actor) => throw new NotImplementedException();

    /// <summary>
    /// Begins an orderly termination (user actors, children before parents, all PostStop hooks; then system
    /// actors), bounded by <see cref="ActorSystemSettings.TerminationTimeout"/>. Returns <see cref="WhenTerminated"/>.
    /// </summary>
    public Task<TerminationReason> Terminate() => throw new NotImplementedException();

    /// <summary>A snapshot of <paramref name="actor"/> (path, incarnation, state, counters, mailbox depth, last failure), or <see langword="null"/> if it is not an actor of this system.</summary>
    public ActorSnapshot? Inspect(IActorRef actor) => throw new NotImplementedException();

    /// <summary>The live children of <paramref name="actor"/> (empty if none or not an actor of this system).</summary>
    public IReadOnlyList<IActorRef> GetChildren(IActorRef actor) => throw new NotImplementedException();

    /// <summary>The live actor at <paramref name="path"/>, or <see langword="null"/>.</summary>
    public IActorRef? Resolve(ActorPath path) => throw new NotImplementedException();

    /// <summary>Terminates the system and waits for it.</summary>
    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    /// <inheritdoc />
    public override string ToString() => $"ActorSystem({Name})";
}
