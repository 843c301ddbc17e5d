namespace ActorHost.Gateway.Management.Events;

/// <summary>
/// The bounded in-memory history behind <c>GET /events</c>: every event gets the next id, the newest
/// <c>capacity</c> events are kept, and a reader asks for "everything after id N". When N is older than
/// what is kept, the read says so (<see cref="RingRead.Missed"/>) instead of silently skipping.
/// Thread-safe; appends never wait for readers.
/// </summary>
internal sealed class EventRing
{
    private readonly ManagementEvent?[] _items;
    private readonly Lock _gate = new();
    private TaskCompletionSource _appended = NewSignal();
    private long _lastId;

    public EventRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new ManagementEvent?[capacity];
    }

    public int Capacity => _items.Length;

    /// <summary>The id of the newest event (0 when none yet).</summary>
    public long LastId
    {
        get
        {
            lock (_gate)
            {
                return _lastId;
            }
        }
    }

    /// <summary>Adds an event; <paramref name="data"/> (immutable) is serialised with the id, type and time added when first read.</summary>
    public ManagementEvent Append(string type, DateTimeOffset time, object data)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(data);
        TaskCompletionSource signal;
        ManagementEvent item;
        lock (_gate)
        {
            long id = _lastId + 1;
            item = new ManagementEvent(id, type, time, data);
            _items[id % _items.Length] = item;
            _lastId = id;
            signal = _appended;
            _appended = NewSignal();
        }

        signal.TrySetResult();
        return item;
    }

    /// <summary>Events with an id greater than <paramref name="afterId"/>, oldest first, at most <paramref name="max"/>.</summary>
    public RingRead ReadAfter(long afterId, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        lock (_gate)
        {
            long oldest = Math.Max(1, _lastId - _items.Length + 1);
            long missed = 0;
            long from = afterId + 1;
            if (afterId > _lastId)
            {
                // An id this process never issued (the gateway restarted): the client's history is unrelated.
                return new RingRead([], Missed: -1, OldestId: oldest, LastId: _lastId);
            }

            if (from < oldest && _lastId > 0)
            {
                missed = oldest - from;
                from = oldest;
            }

            long to = Math.Min(_lastId, from + max - 1);
            var items = new List<ManagementEvent>((int)Math.Max(0, to - from + 1));
            for (long id = from; id <= to; id++)
            {
                items.Add(_items[id % _items.Length]!);
            }

            return new RingRead(items, missed, oldest, _lastId);
        }
    }

    /// <summary>Completes as soon as an event newer than <paramref name="afterId"/> exists.</summary>
    public Task WhenAppendedAfter(long afterId)
    {
        lock (_gate)
        {
            return _lastId > afterId ? Task.CompletedTask : _appended.Task;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The answer of <see cref="EventRing.ReadAfter"/>.</summary>
/// <param name="Events">The events, oldest first.</param>
/// <param name="Missed">Events the reader asked for that are no longer kept (0 = none; -1 = the id was never issued).</param>
/// <param name="OldestId">The oldest id still kept.</param>
/// <param name="LastId">The newest id.</param>
internal sealed record RingRead(IReadOnlyList<ManagementEvent> Events, long Missed, long OldestId, long LastId);
