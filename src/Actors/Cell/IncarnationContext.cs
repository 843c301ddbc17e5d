namespace ActorHost.Actors;

/// <summary>
/// One incarnation's <see cref="IActorContext"/>; also the <see cref="SynchronizationContext"/> that async
/// receives run under, so their continuations come back to the actor (as system messages) instead of racing it.
/// </summary>
internal sealed partial class IncarnationContext : SynchronizationContext, IActorContext
{
    [ThreadStatic]
    private static IncarnationContext? t_constructing;

    public IncarnationContext(ActorCell cell, int incarnation)
    {
        Cell = cell;
        Incarnation = incarnation;
    }

    public ActorCell Cell { get; }

    public int Incarnation { get; }

    public ActorBase? Instance { get; set; }

    public bool IsStale => throw new NotImplementedException();

    public IActorRef Self => throw new NotImplementedException();

    public IActorRef Sender => throw new NotImplementedException();

    public IActorRef Parent => throw new NotImplementedException();

    public IReadOnlyCollection<IActorRef> Children => throw new NotImplementedException();

    public ActorSystem System => throw new NotImplementedException();

    public CancellationToken IncarnationToken => throw new NotImplementedException();

    /// <summary>Returns (and clears) the context whose instance is being constructed on this thread.</summary>
    public static IncarnationContext? TakeConstructing()
    {
        var context = t_constructing;
        t_constructing = null;
        return context;
    }

    public IActorRef ActorOf(Props props, string? name = null) => throw new NotImplementedException();

    public void Become(Action<object> behavior, bool discardOld = true) => throw new NotImplementedException();

    public void Become(Func<object, Task> behavior, bool discardOld = true) => throw new NotImplementedException();

    public IncarnationHandle<T> Bind<T>(T value) => throw new NotImplementedException();

    public IActorRef? Child(string name) => throw new NotImplementedException();

    public void Fail(IActorRef child, Exception exception) => throw new NotImplementedException();

    public void SetReceiveTimeout(TimeSpan? timeout) => throw new NotImplementedException();

    public void Stop(IActorRef actor) => throw new NotImplementedException();

    public void Unbecome() => throw new NotImplementedException();

    public IActorRef Unwatch(IActorRef subject) => throw new NotImplementedException();

    public IActorRef Watch(IActorRef subject) => throw new NotImplementedException();

    internal void BecomeCore(Behavior behavior, bool discardOld) => throw new NotImplementedException();

    internal Task RunAsyncHandler<T>(Func<T, Task> handler, T message) => throw new NotImplementedException();

    internal void ThrowIfStaleForHandles() => throw new NotImplementedException();
}
