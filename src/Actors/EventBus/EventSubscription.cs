using System.Threading.Channels;

namespace ActorHost.Actors;

/// <summary>
/// One subscriber's buffered view of the <see cref="EventStream"/>. Read events from <see cref="Reader"/>;
/// dispose to unsubscribe (the reader then completes). When the buffer is full the oldest buffered event is
/// discarded and counted in <see cref="DroppedCount"/>.
/// </summary>
/// <typeparam name="T">The events received (those assignable to it).</typeparam>
public sealed class EventSubscription<T> : IDisposable, EventStream.ISubscriber
    where T : class
{
    private readonly EventStream _stream;
    private readonly Channel<T> _channel;
    private long _dropped;

    internal EventSubscription(EventStream stream, int capacity)
    {
        _stream = stream;
        Capacity = capacity;
        _channel = Channel.CreateBounded<T>(
            new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = false,
                SingleWriter = false,
                AllowSynchronousContinuations = false,
            },
            OnDropped);
    }

    /// <summary>The buffer size.</summary>
    public int Capacity { get; }

    /// <summary>Events discarded from this subscription because its buffer was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>The events, in publication order (per publisher).</summary>
    public ChannelReader<T> Reader => _channel.Reader;

    /// <summary>Reads events until the subscription is disposed, the system terminates, or <paramref name="cancellationToken"/> fires.</summary>
    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Unsubscribes; the reader completes after the events already buffered.</summary>
    public void Dispose()
    {
        _stream.Unsubscribe(this);
        _channel.Writer.TryComplete();
    }

    void EventStream.ISubscriber.Offer(object @event)
    {
        if (@event is T typed)
        {
            _channel.Writer.TryWrite(typed);
        }
    }

    void EventStream.ISubscriber.Complete() => _channel.Writer.TryComplete();

    private void OnDropped(T dropped)
    {
        Interlocked.Increment(ref _dropped);
        _stream.CountDrop();
    }
}
