using System.Runtime.CompilerServices;

namespace ActorHost.Actors;

/// <summary>
/// The runtime of one actor, and its <see cref="IActorRef"/>: mailbox (ActorCell.Mailbox.cs), message dispatch and
/// async turns (ActorCell.Dispatch.cs), lifecycle (ActorCell.Lifecycle.cs), supervision (ActorCell.FaultHandling.cs),
/// children (ActorCell.Children.cs), death watch (ActorCell.DeathWatch.cs), introspection
/// (ActorCell.Introspection.cs). The cell outlives incarnations: the actor instance is replaced on restart, the
/// cell (and so every reference to it) stays.
/// Everything except the producer side of the mailbox runs on the cell's own turn (one thread at a time).
/// </summary>
internal sealed partial class ActorCell : IInternalActorRef, IThreadPoolWorkItem
{
    private readonly ActorSystem _system;
    private readonly ActorCell? _parent;
    private readonly ActorPath _path;
    private readonly Props _props;

    // Current instance and its context; null before creation, during a restart, and after stop.
    private ActorBase? _actor;
    private IncarnationContext? _context;
    private int _incarnation;

    // The message being processed (and its sender); kept while an async turn is in flight.
    private object? _currentMessage;
    private IActorRef? _currentSender;

    private ChildrenContainer? _children;
    private CellExtras? _extras;

    public ActorCell(ActorSystem system, ActorCell? parent, ActorPath path, Props props)
    {
        _system = system;
        _parent = parent;
        _path = path;
        _props = props;
        var mailbox = props.Mailbox ?? system.Settings.DefaultMailbox;
        if (mailbox.Capacity is { } capacity)
        {
            _bounded = new BoundedMailbox(capacity, mailbox.Overflow);
        }

        _throughput = props.Throughput ?? system.Settings.Throughput;
        _userHead = _userTail = new Envelope();
        _status = UserBlockedBit;
        _userBlocked = true;
    }

    public ActorPath Path => _path;

    public ActorSystem System => _system;

    public ActorCell? Parent => _parent;

    public Props Props => _props;

    public int Incarnation => Volatile.Read(ref _incarnation);

    /// <summary>The sender of the message being processed (for the context).</summary>
    public IActorRef CurrentSender => _currentSender ?? _system.DeadLetters;

    public IncarnationContext? CurrentContext => _context;

    /// <summary>Managed id of the thread running this cell's turn right now (0 if none): lets a detached context tell the actor's own hooks from an abandoned continuation.</summary>
    public int ExecutingThreadId => Volatile.Read(ref _executingThreadId);

    private CellExtras Extras
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _extras) ?? CreateExtras();
    }

    // The parent writes supervision statistics into its child's extras from its own turn: allocate atomically.
    private CellExtras CreateExtras()
    {
        var created = new CellExtras();
        return Interlocked.CompareExchange(ref _extras, created, null) ?? created;
    }

    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_bounded is null)
        {
            EnqueueUser(message, sender);
            return;
        }

        TellBounded(message, sender);
    }

    public Task<T> Ask<T>(object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (_bounded is { Overflow: MailboxOverflow.BackPressure } && !IsClosed)
        {
            return AskWithBackPressure<T>(message, timeout, cancellationToken);
        }

        return AskSupport.Ask<T>(this, _system, message, timeout, cancellationToken);
    }

    public override string ToString() => _path.ToString();

    /// <summary>Publishes the message as unhandled; an Ask with it fails at once.</summary>
    internal void OnUnhandled(object message)
    {
        if (_currentSender is IAskPromise promise)
        {
            promise.TryFail(new UnhandledMessageException($"{_path} has no handler for a message of type {message.GetType().FullName}."));
        }

        if (_system.EventStream.HasSubscribers)
        {
            _system.EventStream.Publish(new UnhandledMessage(message, _currentSender, this) { Timestamp = _system.Now });
        }
    }

    private void TellBounded(object message, IActorRef? sender)
    {
        if (IsClosed)
        {
            _system.PublishDeadLetter(message, sender, this, recipientStopped: true);
            return;
        }

        if (!_bounded!.TryReserve())
        {
            throw new MailboxFullException($"The mailbox of {_path} is full (capacity {_bounded.Capacity}); message of type {message.GetType().Name} rejected.");
        }

        EnqueueUser(message, sender);
    }

    private async Task<T> AskWithBackPressure<T>(object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Ask timeout must be positive (or Timeout.InfiniteTimeSpan).");
        }

        var promise = new PromiseRef<T>(this, timeout);
        promise.Arm(_system.TimeProvider, _system.AskTimeouts, cancellationToken);
        while (!promise.Task.IsCompleted)
        {
            if (IsClosed)
            {
                _system.PublishDeadLetter(message, promise, this, recipientStopped: true);
                break;
            }

            if (_bounded!.TryReserve())
            {
                EnqueueUser(message, promise);
                break;
            }

            // Wait for a slot, or for the Ask's own timeout/cancellation (which complete the promise).
            await Task.WhenAny(_bounded.WaitForSpaceAsync(), promise.Task).ConfigureAwait(false);
        }

        return await promise.Task.ConfigureAwait(false);
    }
}
