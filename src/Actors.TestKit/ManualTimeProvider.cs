namespace ActorHost.Actors.TestKit;

/// <summary>
/// A <see cref="TimeProvider"/> that only moves when told to (<see cref="Advance"/>), so retry windows, backoff,
/// ask timeouts and scheduled messages can be tested without sleeping. Timers that become due during
/// <see cref="Advance"/> fire synchronously on the calling thread, in due order, with the clock set to their due
/// time. A timer created (or changed) due now fires at once, on the calling thread before
/// <see cref="CreateTimer"/> (or <see cref="ITimer.Change"/>) returns, as on the system clock it would fire without
/// waiting. Thread-safe.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;
    private long _ticks;

    /// <summary>Creates the clock at <paramref name="start"/> (default 2000-01-01 UTC).</summary>
    public ManualTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Timestamps are in <see cref="TimeSpan"/> ticks.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Timers created and not yet disposed that are due at some point (i.e. not parked with an infinite due time).</summary>
    public int PendingTimerCount
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.DueTicks is not null);
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _ticks;
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        bool dueNow;
        lock (_gate)
        {
            _timers.Add(timer);
            dueNow = timer.Schedule(_ticks, dueTime, period);
            Monitor.PulseAll(_gate);
        }

        if (dueNow)
        {
            FireDue();
        }

        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that becomes due (in due order).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is negative.</exception>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        AdvanceCore(by);
    }

    // Outside the lock: a callback may create or change timers, or wait for another thread that does.
    private void FireDue() => AdvanceCore(TimeSpan.Zero);

    private void AdvanceCore(TimeSpan by)
    {
        long target;
        lock (_gate)
        {
            target = _ticks + by.Ticks;
        }

        while (true)
        {
            ManualTimer? due = null;
            lock (_gate)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueTicks is { } d && d <= target && (due is null || d < due.DueTicks))
                    {
                        due = timer;
                    }
                }

                if (due is null)
                {
                    _now += TimeSpan.FromTicks(target - _ticks);
                    _ticks = target;
                    return;
                }

                var dueAt = due.DueTicks!.Value;
                if (dueAt > _ticks)
                {
                    _now += TimeSpan.FromTicks(dueAt - _ticks);
                    _ticks = dueAt;
                }

                due.Fired();
            }

            due.Invoke();
        }
    }

    /// <summary>
    /// Waits (really) until at least <paramref name="count"/> timers are pending — e.g. until an actor has
    /// scheduled its backoff before the test advances the clock. Returns false on timeout.
    /// </summary>
    public bool WaitForPendingTimers(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (_timers.Count(t => t.DueTicks is not null) < count)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                Monitor.Wait(_gate, left);
            }

            return true;
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private long _period;

        public long? DueTicks { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool dueNow;
            lock (owner._gate)
            {
                if (!owner._timers.Contains(this))
                {
                    return false;
                }

                dueNow = Schedule(owner._ticks, dueTime, period);
                Monitor.PulseAll(owner._gate);
            }

            if (dueNow)
            {
                owner.FireDue();
            }

            return true;
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                DueTicks = null;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        // Called under the owner's lock; true if the timer is due now.
        public bool Schedule(long now, TimeSpan dueTime, TimeSpan period)
        {
            DueTicks = dueTime == Timeout.InfiniteTimeSpan ? null : now + Math.Max(0, dueTime.Ticks);
            _period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : period.Ticks;
            return DueTicks <= now;
        }

        // Called under the owner's lock when the timer fires.
        public void Fired() => DueTicks = _period > 0 ? DueTicks + _period : null;

        public void Invoke() => callback(state);
    }
}
