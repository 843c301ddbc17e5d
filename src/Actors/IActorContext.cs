namespace ActorHost.Actors;

/// <summary>
/// What an actor instance (one incarnation) can do with itself and its children. Given to the instance as
/// <c>Context</c>. Bound to that incarnation: after it ends (restart, stop, or abandonment through
/// <see cref="Fail"/>), every member except <see cref="Incarnation"/>, <see cref="IsStale"/> and
/// <see cref="IncarnationToken"/> (then cancelled) throws <see cref="StaleIncarnationException"/>. Not thread-safe: use it from the actor's own receive, lifecycle hooks
/// and async-receive continuations (which the kernel runs on the actor).
/// </summary>
public interface IActorContext
{
    /// <summary>This actor's reference.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the message being processed (<see cref="ActorSystem.DeadLetters"/> if there is none).</summary>
    IActorRef Sender { get; }

    /// <summary>The parent (supervisor).</summary>
    IActorRef Parent { get; }

    /// <summary>A snapshot of the live children.</summary>
    IReadOnlyCollection<IActorRef> Children { get; }

    /// <summary>The actor system.</summary>
    ActorSystem System { get; }

    /// <summary>This incarnation's number: 1 for the first instance, +1 per restart. Never throws.</summary>
    int Incarnation { get; }

    /// <summary>True once this incarnation has ended. Never throws.</summary>
    bool IsStale { get; }

    /// <summary>Cancelled when this incarnation ends (restart, stop, or <see cref="Fail"/>).</summary>
    CancellationToken IncarnationToken { get; }

    /// <summary>The child named <paramref name="name"/>, or <see langword="null"/>.</summary>
    IActorRef? Child(string name);

    /// <summary>
    /// Creates a child. <paramref name="name"/> must be unique among live siblings (a stopped child's name is
    /// free again once its termination reached this parent); <see langword="null"/> generates a name.
    /// Creation is asynchronous: constructor and PreStart run on the child, failures are supervised
    /// (<see cref="ActorInitializationException"/>).
    /// </summary>
    /// <exception cref="InvalidActorNameException">The name is invalid or taken.</exception>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Stops <paramref name="actor"/> (a child, or this actor itself) asynchronously: children first, then PostStop.</summary>
    void Stop(IActorRef actor);

    /// <summary>Watches <paramref name="subject"/>: when it stops, this actor receives <see cref="Terminated"/> (at once if it is already stopped).</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Stops watching; no <see cref="Terminated"/> for it is delivered afterwards.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Replaces (or, with <paramref name="discardOld"/> false, pushes) the message handler of this incarnation.</summary>
    void Become(Action<object> behavior, bool discardOld = true);

    /// <summary>As <see cref="Become(Action{object}, bool)"/> with an async handler (the mailbox is suspended while it awaits).</summary>
    void Become(Func<object, Task> behavior, bool discardOld = true);

    /// <summary>Pops the behaviour pushed last (back to the original receive when the stack is empty).</summary>
    void Unbecome();

    /// <summary>
    /// Wraps <paramref name="value"/> in a handle that works only while this incarnation is current; afterwards
    /// <see cref="IncarnationHandle{T}.Value"/> throws <see cref="StaleIncarnationException"/>. Hand handles (not
    /// raw state) to code that may outlive the incarnation.
    /// </summary>
    IncarnationHandle<T> Bind<T>(T value);

    /// <summary>
    /// Declares the child <paramref name="child"/> failed with <paramref name="exception"/>, even while it is
    /// awaiting inside an async receive (processed as a system message). If a turn is in flight it is abandoned:
    /// its later continuations run detached (any use of its context or handles throws
    /// <see cref="StaleIncarnationException"/>) and its outcome is only reported
    /// (<see cref="AbandonedTurnCompleted"/>); the incarnation ends. Then this actor's decider runs on
    /// <paramref name="exception"/> like for any failure; an Ask in flight fails with <see cref="AskFailedException"/>.
    /// Because an abandoned instance cannot be trusted, <see cref="Directive.Resume"/> is applied as Restart in that case.
    /// A handler that blocks its thread (never awaits) cannot be abandoned.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="child"/> is not a child of this actor.</exception>
    void Fail(IActorRef child, Exception exception);

    /// <summary>
    /// After <paramref name="timeout"/> without user messages this actor receives <see cref="ReceiveTimeout"/>;
    /// <see langword="null"/> switches it off.
    /// </summary>
    void SetReceiveTimeout(TimeSpan? timeout);
}
