namespace ActorHost.Actors;

/// <summary>
/// Base of every actor (derive from <see cref="ReceiveActor"/> or <see cref="UntypedActor"/>). One instance is one
/// incarnation: a restart builds a fresh instance through the <see cref="Props"/> factory. Lifecycle (Akka's order):
/// constructor → <see cref="PreStart"/> → messages → on restart: old <see cref="PreRestart"/> (default: stop
/// children, then <see cref="PostStop"/>) → children terminate → new constructor → <see cref="PostRestart"/>
/// (default: <see cref="PreStart"/>) → messages … → on stop: children stop → <see cref="PostStop"/>.
/// </summary>
public abstract class ActorBase
{
    private readonly IncarnationContext _context;
    private Behavior[]? _behaviors;
    private int _behaviorCount;

    /// <summary>Binds the instance to the incarnation being created. Actors can only be built by the kernel.</summary>
    /// <exception cref="ActorInitializationException">Constructed outside of <c>ActorOf</c> (e.g. with <c>new</c> in user code).</exception>
    protected ActorBase()
    {
        _context = IncarnationContext.TakeConstructing()
            ?? throw new ActorInitializationException(
                $"An actor ({GetType().Name}) can only be created by the actor system through Props (ActorOf); do not call its constructor directly, and make the Props factory return a new instance per call.");
        _context.Instance = this;
    }

    /// <summary>This incarnation's context.</summary>
    protected IActorContext Context => _context;

    /// <summary>This actor's reference (shorthand for <c>Context.Self</c>).</summary>
    protected IActorRef Self => _context.Self;

    /// <summary>The sender of the current message (shorthand for <c>Context.Sender</c>).</summary>
    protected IActorRef Sender => _context.Sender;

    internal IncarnationContext IncarnationContext => _context;

    /// <summary>Called after construction, before the first message (and by the default <see cref="PostRestart"/>). A throw is an initialization failure.</summary>
    protected virtual void PreStart()
    {
    }

    /// <summary>Called when the actor stops (after its children stopped), and by the default <see cref="PreRestart"/>. Exceptions are reported, not supervised.</summary>
    protected virtual void PostStop()
    {
    }

    /// <summary>
    /// Called on the failed instance before it is replaced. <paramref name="message"/> is the message whose
    /// processing failed (it is not processed again), or <see langword="null"/>. Default: unwatch and stop all
    /// children, then <see cref="PostStop"/>. Exceptions are reported and the restart proceeds.
    /// </summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children)
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }

        PostStop();
    }

    /// <summary>Called on the fresh instance after a restart. Default: <see cref="PreStart"/>. A throw fails the actor with <see cref="PostRestartException"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>
    /// The strategy for this actor's children (evaluated once per incarnation). <see cref="Props.SupervisorStrategy"/>
    /// takes precedence when set. Default: <see cref="Actors.SupervisorStrategy.DefaultStrategy"/>.
    /// </summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.DefaultStrategy;

    /// <summary>
    /// Called for a message no handler accepted. Default: <see cref="Terminated"/> → throws
    /// <see cref="DeathPactException"/>; anything else → publishes <see cref="UnhandledMessage"/> (and fails an
    /// Ask with <see cref="UnhandledMessageException"/>).
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is Terminated terminated)
        {
            throw new DeathPactException($"{_context.Cell.Path} did not handle Terminated for watched actor {terminated.Actor.Path}.");
        }

        _context.Cell.OnUnhandled(message);
    }

    /// <summary>The handler used when no behaviour has been pushed with Become.</summary>
    internal abstract Task ReceiveDefault(object message);

    internal Task Dispatch(object message)
        => _behaviorCount == 0 ? ReceiveDefault(message) : _behaviors![_behaviorCount - 1].Invoke(this, message);

    internal void InvokeUnhandled(object message) => Unhandled(message);

    internal void InvokePreStart() => PreStart();

    internal void InvokePostStop() => PostStop();

    internal void InvokePreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void InvokePostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy InvokeSupervisorStrategy() => SupervisorStrategy();

    internal void PushBehavior(Behavior behavior, bool discardOld)
    {
        if (discardOld && _behaviorCount > 0)
        {
            _behaviors![_behaviorCount - 1] = behavior;
            return;
        }

        _behaviors ??= new Behavior[2];
        if (_behaviorCount == _behaviors.Length)
        {
            Array.Resize(ref _behaviors, _behaviors.Length * 2);
        }

        _behaviors[_behaviorCount++] = behavior;
    }

    internal void PopBehavior()
    {
        if (_behaviorCount > 0)
        {
            _behaviors![--_behaviorCount] = null!;
        }
    }
}
