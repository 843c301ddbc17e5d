namespace ActorHost.Actors;

/// <summary>
/// How to create an actor: a factory (called again for every restart, so each incarnation is a fresh instance),
/// plus optional supervisor strategy (for the actor's children), mailbox and throughput. Immutable.
/// </summary>
public sealed class Props
{
    // A Func<ActorBase> or an IActorProducer<ActorBase> (both covariant): one field either way.
    private readonly object _factory;

    private Props(Type actorType, object factory, SupervisorStrategy? strategy, MailboxOptions? mailbox, int? throughput)
    {
        ActorType = actorType;
        _factory = factory;
        SupervisorStrategy = strategy;
        Mailbox = mailbox;
        Throughput = throughput;
    }

    /// <summary>The declared actor type.</summary>
    public Type ActorType { get; }

    /// <summary>Strategy for the actor's children; overrides the actor's <c>SupervisorStrategy()</c> (as in Akka).</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>The mailbox; <see langword="null"/> = the system default.</summary>
    public MailboxOptions? Mailbox { get; }

    /// <summary>Messages per turn; <see langword="null"/> = the system's <see cref="ActorSystemSettings.Throughput"/>.</summary>
    public int? Throughput { get; }


    /// <summary>Props for an actor with a public parameterless constructor.</summary>
    public static Props Create<TActor>()
        where TActor : ActorBase, new()
        => new(typeof(TActor), static () => new TActor(), null, null, null);

    /// <summary>Props from a factory, e.g. <c>Props.Create(() =&gt; new Counter(start))</c>. The factory must return a new instance on every call.</summary>
    public static Props Create<TActor>(Func<TActor> factory)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory, null, null, null);
    }

    /// <summary>
    /// Props whose instances come from <paramref name="producer"/>, e.g. a runtime's per-actor record that builds its
    /// actor: no closure or delegate per actor, unlike <see cref="Create{TActor}(Func{TActor})"/>.
    /// </summary>
    public static Props Create<TActor>(IActorProducer<TActor> producer)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(producer);
        return new Props(typeof(TActor), producer, null, null, null);
    }

    /// <summary>A copy that supervises the actor's children with <paramref name="strategy"/>.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new Props(ActorType, _factory, strategy, Mailbox, Throughput);
    }

    /// <summary>A copy with the given mailbox.</summary>
    public Props WithMailbox(MailboxOptions mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        return new Props(ActorType, _factory, SupervisorStrategy, mailbox, Throughput);
    }

    /// <summary>A copy with the given throughput (user messages per turn before yielding the thread).</summary>
    public Props WithThroughput(int throughput)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(throughput);
        return new Props(ActorType, _factory, SupervisorStrategy, Mailbox, throughput);
    }

    /// <inheritdoc />
    public override string ToString() => $"Props({ActorType.Name})";

    /// <summary>A new instance from the factory or producer.</summary>
    internal ActorBase Produce() => _factory is Func<ActorBase> factory ? factory() : ((IActorProducer<ActorBase>)_factory).Produce();
}
