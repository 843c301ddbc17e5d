namespace ActorHost.Actors;

/// <summary>
/// One incarnation's <see cref="IActorContext"/>. Also the <see cref="SynchronizationContext"/> that async
/// receives run under: their continuations are posted back to the actor as system messages, so they never run
/// concurrently with it; once the incarnation ended (or its turn was abandoned) they run detached on the pool.
/// </summary>
internal sealed class IncarnationContext : SynchronizationContext, IActorContext
{
    [ThreadStatic]
    private static IncarnationContext? t_constructing;

    // Retired: the incarnation ended. Detached: its async turn was abandoned (Fail/stop/restart); the actor's
    // own lifecycle hooks may still use the context until it is retired, nothing else may.
    private volatile bool _retired;
    private volatile bool _detached;
    private CancellationTokenSource? _token;

    public IncarnationContext(ActorCell cell, int incarnation)
    {
        Cell = cell;
        Incarnation = incarnation;
    }

    public ActorCell Cell { get; }

    public int Incarnation { get; }

    public ActorBase? Instance { get; set; }

    public bool IsStale => _retired || _detached;

    public IActorRef Self
    {
        get
        {
            Check();
            return Cell;
        }
    }

    public IActorRef Sender
    {
        get
        {
            Check();
            return Cell.CurrentSender;
        }
    }

    public IActorRef Parent
    {
        get
        {
            Check();
            return (IActorRef?)Cell.Parent ?? Cell;
        }
    }

    public IReadOnlyCollection<IActorRef> Children
    {
        get
        {
            Check();
            return Cell.GetChildren();
        }
    }

    public ActorSystem System
    {
        get
        {
            Check();
            return Cell.System;
        }
    }

    public CancellationToken IncarnationToken
    {
        get
        {
            if (IsStale)
            {
                return new CancellationToken(canceled: true);
            }

            if (_token is null)
            {
                var created = new CancellationTokenSource();
                if (Interlocked.CompareExchange(ref _token, created, null) is not null)
                {
                    created.Dispose();
                }
                else if (IsStale)
                {
                    CancelToken();
                }
            }

            return _token!.Token;
        }
    }

    public static void SetConstructing(IncarnationContext context) => t_constructing = context;

    public static void ClearConstructing() => t_constructing = null;

    /// <summary>Returns (and clears) the context whose instance is being constructed on this thread.</summary>
    public static IncarnationContext? TakeConstructing()
    {
        var context = t_constructing;
        t_constructing = null;
        return context;
    }

    /// <summary>Runs a continuation of an abandoned turn on the pool, still under its (stale) context.</summary>
    public static void RunDetached(SendOrPostCallback callback, object? state, IncarnationContext context)
        => ThreadPool.UnsafeQueueUserWorkItem(
            static s =>
            {
                var (cb, st, ctx) = s;
                var previous = Current;
                SetSynchronizationContext(ctx);
                try
                {
                    cb(st);
                }
                finally
                {
                    SetSynchronizationContext(previous);
                }
            },
            (callback, state, context),
            preferLocal: false);

    public IActorRef ActorOf(Props props, string? name = null)
    {
        Check();
        return Cell.CreateChild(props, name);
    }

    public void Become(Action<object> behavior, bool discardOld = true)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        BecomeCore(new Behavior(behavior), discardOld);
    }

    public void Become(Func<object, Task> behavior, bool discardOld = true)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        BecomeCore(new Behavior(behavior), discardOld);
    }

    public void Unbecome()
    {
        Check();
        Instance?.PopBehavior();
    }

    public IncarnationHandle<T> Bind<T>(T value)
    {
        Check();
        return new IncarnationHandle<T>(this, value);
    }

    public IActorRef? Child(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Check();
        return Cell.GetChild(name);
    }

    public void Fail(IActorRef child, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(exception);
        Check();
        if (child is not ActorCell cell || !ReferenceEquals(cell.Parent, Cell))
        {
            throw new ArgumentException($"{child.Path} is not a child of {Cell.Path}; only a parent can declare its child failed.", nameof(child));
        }

        cell.SendSystem(new FailRequestMessage(exception));
    }

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        Check();
        Cell.SetReceiveTimeout(timeout);
    }

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Check();
        Cell.StopFromContext(actor);
    }

    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Check();
        Cell.Watch(subject);
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Check();
        Cell.Unwatch(subject);
        return subject;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        if (IsStale)
        {
            RunDetached(d, state, this);
            return;
        }

        Cell.SendSystem(new ContinuationMessage(this, d, state));
    }

    public override SynchronizationContext CreateCopy() => this;

    public override string ToString() => $"{Cell.Path}#{Incarnation}";

    internal void BecomeCore(Behavior behavior, bool discardOld)
    {
        Check();
        Instance?.PushBehavior(behavior, discardOld);
    }

    /// <summary>Invokes an async handler with this context installed, so its awaits come back to the actor.</summary>
    internal Task RunAsyncHandler<T>(Func<T, Task> handler, T message)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            return handler(message) ?? throw new InvalidOperationException($"An async handler of {Cell.Path} returned a null Task.");
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    internal Task RunAsyncReceive(AsyncUntypedActor actor, object message)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            return actor.InvokeReceiveAsync(message) ?? throw new InvalidOperationException($"OnReceiveAsync of {Cell.Path} returned a null Task.");
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    internal void ThrowIfStaleForHandles()
    {
        if (IsStale)
        {
            throw Stale();
        }
    }

    /// <summary>The async turn was abandoned: the continuations of that turn must not touch anything any more.</summary>
    internal void Detach()
    {
        _detached = true;
        CancelToken();
    }

    /// <summary>The incarnation ended.</summary>
    internal void Retire()
    {
        _retired = true;
        CancelToken();

        // Whatever still holds this context (a handle, a late continuation) must not keep the ended instance,
        // and everything it refers to, alive: a restarted actor's old state is garbage at once.
        Instance = null;
    }

    private void Check()
    {
        if (_retired || (_detached && Environment.CurrentManagedThreadId != Cell.ExecutingThreadId))
        {
            throw Stale();
        }
    }

    private StaleIncarnationException Stale()
    {
        int current = Cell.Incarnation;
        if (current != Incarnation || _retired)
        {
            // Replaced by a newer incarnation, or retired with no successor: the actor is stopped.
            return new(Cell.Path, Incarnation, current != Incarnation ? current : 0);
        }

        // Detached but not yet retired: the turn was abandoned (Fail), and the actor lives until its supervisor decides.
        return new(Cell.Path, Incarnation, "its turn was abandoned; the actor is being restarted or stopped by its supervisor");
    }

    private void CancelToken()
    {
        var token = Volatile.Read(ref _token);
        if (token is null)
        {
            return;
        }

        try
        {
            token.Cancel();
        }
#pragma warning disable CA1031 // A user callback on the token must not break the kernel's restart/stop.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
