using System.Threading.Channels;

namespace ActorHost.Workers.Events;

/// <summary>
/// The worker view of supervision, as a stream of <see cref="WorkerEvent"/>s (failed with directive, restarted
/// with incarnation, stopped, escalated, stuck, dead-lettered requests). Derived from the kernel's event
/// stream, it lives a little longer than the actor system: it completes only after the last events of a
/// termination (an escalation to the root, the final stops) were delivered. Each subscription has its own
/// bounded buffer, so a slow subscriber never slows the runtime (the oldest buffered event is dropped and
/// counted instead). Thread-safe.
/// </summary>
public sealed class WorkerEventStream
{
    private const int DefaultCapacity = 4096;
    private readonly Lock _gate = new();
    private WorkerEventSubscription[] _subscriptions = [];
    private bool _completed;

    /// <summary>Subscribes; read from <see cref="WorkerEventSubscription.Reader"/>, dispose to stop.</summary>
    /// <param name="capacity">Buffer size (default 4096).</param>
    public WorkerEventSubscription Subscribe(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        var subscription = new WorkerEventSubscription(this, capacity);
        lock (_gate)
        {
            if (_completed)
            {
                subscription.Complete();
            }
            else
            {
                _subscriptions = [.. _subscriptions, subscription];
            }
        }

        return subscription;
    }

    internal void Publish(WorkerEvent workerEvent)
    {
        foreach (WorkerEventSubscription subscription in Volatile.Read(ref _subscriptions))
        {
            subscription.Offer(workerEvent);
        }
    }

    internal void Complete()
    {
        WorkerEventSubscription[] subscriptions;
        lock (_gate)
        {
            _completed = true;
            subscriptions = _subscriptions;
            _subscriptions = [];
        }

        foreach (WorkerEventSubscription subscription in subscriptions)
        {
            subscription.Complete();
        }
    }

    internal void Unsubscribe(WorkerEventSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
        }
    }
}

/// <summary>One subscriber's buffered view of the <see cref="WorkerEventStream"/>.</summary>
public sealed class WorkerEventSubscription : IDisposable
{
    private readonly WorkerEventStream _stream;
    private readonly Channel<WorkerEvent> _channel;
    private long _dropped;

    internal WorkerEventSubscription(WorkerEventStream stream, int capacity)
    {
        _stream = stream;
        _channel = Channel.CreateBounded<WorkerEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false, SingleWriter = false },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>The events, in order.</summary>
    public ChannelReader<WorkerEvent> Reader => _channel.Reader;

    /// <summary>Events discarded because the buffer was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Reads until the stream completes, the subscription is disposed, or the token fires.</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    public IAsyncEnumerable<WorkerEvent> ReadAllAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Unsubscribes; the reader completes after the events already buffered.</summary>
    public void Dispose()
    {
        _stream.Unsubscribe(this);
        _channel.Writer.TryComplete();
    }

    internal void Offer(WorkerEvent workerEvent) => _channel.Writer.TryWrite(workerEvent);

    internal void Complete() => _channel.Writer.TryComplete();
}
