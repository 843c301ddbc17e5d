using System.Threading.Channels;

namespace ActorHost.Actors;

/// <summary>
/// The system's publish/subscribe bus for lifecycle events (<see cref="ActorEvent"/>s) and any object user code
/// publishes. Each subscription has its own bounded buffer, so a slow subscriber never blocks a publisher (an
/// actor): when a subscription's buffer is full, its OLDEST buffered event is discarded to make room and the
/// subscription's <see cref="EventSubscription{T}.DroppedCount"/> (and <see cref="DroppedCount"/>) grows.
/// Publishing with no subscribers costs a volatile read. Thread-safe.
/// </summary>
public sealed class EventStream
{
    private readonly int _defaultCapacity;
    private ISubscriber[] _subscribers = [];
    private long _dropped;
    private volatile bool _completed;

    internal EventStream(int defaultCapacity) => _defaultCapacity = defaultCapacity;

    /// <summary>Total events discarded across all subscriptions because their buffers were full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Number of live subscriptions.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    internal bool HasSubscribers => Volatile.Read(ref _subscribers).Length != 0;

    /// <summary>Publishes <paramref name="event"/> to every subscription whose type it matches. Never blocks.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var subscribers = Volatile.Read(ref _subscribers);
        for (var i = 0; i < subscribers.Length; i++)
        {
            subscribers[i].Offer(@event);
        }
    }

    /// <summary>
    /// Subscribes to events assignable to <typeparamref name="T"/> (e.g. <see cref="ActorEvent"/> for all kernel
    /// events, <see cref="ActorFailed"/> for failures only). Read them from
    /// <see cref="EventSubscription{T}.Reader"/>; dispose the subscription to stop.
    /// </summary>
    /// <param name="capacity">Buffer size; <see langword="null"/> = <see cref="ActorSystemSettings.EventSubscriberCapacity"/>.</param>
    public EventSubscription<T> Subscribe<T>(int? capacity = null)
        where T : class
    {
        var size = capacity ?? _defaultCapacity;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size, nameof(capacity));
        var subscription = new EventSubscription<T>(this, size);
        ISubscriber[] current, updated;
        do
        {
            current = Volatile.Read(ref _subscribers);
            updated = [.. current, subscription];
        }
        while (Interlocked.CompareExchange(ref _subscribers, updated, current) != current);

        if (_completed)
        {
            // The system has terminated (perhaps while we were adding): nothing more will be published, and
            // CompleteAll may have swapped the list before our subscription was in it.
            Unsubscribe(subscription);
            ((ISubscriber)subscription).Complete();
        }

        return subscription;
    }

    internal void Unsubscribe(ISubscriber subscriber)
    {
        ISubscriber[] current, updated;
        do
        {
            current = Volatile.Read(ref _subscribers);
            var index = Array.IndexOf(current, subscriber);
            if (index < 0)
            {
                return;
            }

            updated = [.. current.AsSpan(0, index), .. current.AsSpan(index + 1)];
        }
        while (Interlocked.CompareExchange(ref _subscribers, updated, current) != current);
    }

    internal void CountDrop() => Interlocked.Increment(ref _dropped);

    /// <summary>
    /// Completes every subscription (their readers end), and every later one at once — called when the system has
    /// terminated.
    /// </summary>
    internal void CompleteAll()
    {
        _completed = true;
        foreach (var subscriber in Interlocked.Exchange(ref _subscribers, []))
        {
            subscriber.Complete();
        }
    }

    internal interface ISubscriber
    {
        void Offer(object @event);

        void Complete();
    }
}
