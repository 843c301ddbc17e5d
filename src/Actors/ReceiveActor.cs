namespace ActorHost.Actors;

/// <summary>
/// An actor whose handlers are registered by message type in its constructor (Akka's ReceiveActor):
/// <c>Receive&lt;T&gt;(handler)</c> for synchronous handlers, <c>ReceiveAsync&lt;T&gt;(handler)</c> for async ones.
/// The first registered handler whose type (and optional predicate) matches wins; no match → <c>Unhandled</c>.
/// While an async handler awaits, the actor processes no other user message (its mailbox is suspended;
/// system messages such as stop or <see cref="IActorContext.Fail"/> are still processed), and its continuations
/// run on the actor with <c>Sender</c> restored, as in Akka's ReceiveAsync.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private HandlerSet _initial = new();
    private HandlerSet? _configuring;

    /// <summary>Creates the actor; register handlers in the derived constructor.</summary>
    protected ReceiveActor() => _configuring = _initial;

    /// <summary>Registers a synchronous handler for messages of type <typeparamref name="T"/>.</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Configuring().Add(new SyncHandler<T>(handler, shouldHandle));
    }

    /// <summary>Registers an async handler for messages of type <typeparamref name="T"/>.</summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Configuring().Add(new AsyncHandler<T>(handler, shouldHandle));
    }

    /// <summary>Registers a synchronous handler for messages of type <typeparamref name="T"/> that satisfy <paramref name="shouldHandle"/>.</summary>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(shouldHandle);
        Receive(handler, shouldHandle);
    }

    /// <summary>Registers an async handler for messages of type <typeparamref name="T"/> that satisfy <paramref name="shouldHandle"/>.</summary>
    protected void ReceiveAsync<T>(Predicate<T> shouldHandle, Func<T, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(shouldHandle);
        ReceiveAsync(handler, shouldHandle);
    }

    /// <summary>Registers a synchronous handler for any message (put it last).</summary>
    protected void ReceiveAny(Action<object> handler) => Receive(handler);

    /// <summary>Registers an async handler for any message (put it last).</summary>
    protected void ReceiveAnyAsync(Func<object, Task> handler) => ReceiveAsync(handler);

    /// <summary>Replaces the current handlers with those registered by <paramref name="configure"/>.</summary>
    protected void Become(Action configure) => BecomeCore(configure, discardOld: true);

    /// <summary>Pushes the handlers registered by <paramref name="configure"/>; <see cref="UnbecomeStacked"/> pops them.</summary>
    protected void BecomeStacked(Action configure) => BecomeCore(configure, discardOld: false);

    /// <summary>Returns to the previous handlers.</summary>
    protected void UnbecomeStacked() => Context.Unbecome();

    internal sealed override Task ReceiveDefault(object message)
    {
        // The constructor has finished once messages arrive: registering handlers later needs Become.
        _configuring = null;
        return _initial.Invoke(this, message);
    }

    private void BecomeCore(Action configure, bool discardOld)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var set = new HandlerSet();
        var previous = _configuring;
        _configuring = set;
        try
        {
            configure();
        }
        finally
        {
            _configuring = previous;
        }

        IncarnationContext.BecomeCore(new Behavior(m => set.Invoke(this, m)), discardOld);
    }

    private HandlerSet Configuring() => _configuring
        ?? throw new InvalidOperationException("Receive/ReceiveAsync can only be called in the actor's constructor or inside Become(...); use Become to change handlers later.");

    /// <summary>An ordered list of typed handlers.</summary>
    private sealed class HandlerSet
    {
        private Handler[] _handlers = new Handler[1];
        private int _count;

        public void Add(Handler handler)
        {
            if (_count == _handlers.Length)
            {
                Array.Resize(ref _handlers, _count * 2);
            }

            _handlers[_count++] = handler;
        }

        public Task Invoke(ReceiveActor actor, object message)
        {
            var handlers = _handlers;
            for (var i = 0; i < _count; i++)
            {
                if (handlers[i].TryInvoke(actor, message, out var task))
                {
                    return task;
                }
            }

            actor.InvokeUnhandled(message);
            return Task.CompletedTask;
        }
    }

    private abstract class Handler
    {
        public abstract bool TryInvoke(ReceiveActor actor, object message, out Task task);
    }

    private sealed class SyncHandler<T>(Action<T> handler, Predicate<T>? shouldHandle) : Handler
    {
        public override bool TryInvoke(ReceiveActor actor, object message, out Task task)
        {
            if (message is T typed && (shouldHandle is null || shouldHandle(typed)))
            {
                handler(typed);
                task = Task.CompletedTask;
                return true;
            }

            task = null!;
            return false;
        }
    }

    private sealed class AsyncHandler<T>(Func<T, Task> handler, Predicate<T>? shouldHandle) : Handler
    {
        public override bool TryInvoke(ReceiveActor actor, object message, out Task task)
        {
            if (message is T typed && (shouldHandle is null || shouldHandle(typed)))
            {
                task = actor.IncarnationContext.RunAsyncHandler(handler, typed);
                return true;
            }

            task = null!;
            return false;
        }
    }
}
