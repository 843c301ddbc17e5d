namespace ActorHost.Actors;

/// <summary>Sends messages later, on the system's <see cref="TimeProvider"/> (so tests can drive it with a manual clock).</summary>
public sealed class Scheduler
{
    private readonly TimeProvider _time;

    internal Scheduler(TimeProvider time) => _time = time;

    /// <summary>Sends <paramref name="message"/> to <paramref name="receiver"/> once after <paramref name="delay"/>. Dispose the result to cancel.</summary>
    public IDisposable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new ScheduledTell(_time, delay, Timeout.InfiniteTimeSpan, receiver, message, sender, once: true);
    }

    /// <summary>Sends <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>, until disposed.</summary>
    public IDisposable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return new ScheduledTell(_time, initialDelay, interval, receiver, message, sender, once: false);
    }

    private sealed class ScheduledTell : IDisposable
    {
        private readonly IActorRef _receiver;
        private readonly object _message;
        private readonly IActorRef? _sender;
        private readonly bool _once;
        private ITimer? _timer;
        private int _disposed;

        public ScheduledTell(TimeProvider time, TimeSpan delay, TimeSpan period, IActorRef receiver, object message, IActorRef? sender, bool once)
        {
            _receiver = receiver;
            _message = message;
            _sender = sender;
            _once = once;
            // A repeating schedule lives until disposed; it must not keep the scheduling code's context that long.
            var timer = DetachedTimer.Create(time, static s => ((ScheduledTell)s!).Fire(), this, delay, period);
            Interlocked.Exchange(ref _timer, timer);

            // A tell due now may have fired (and disposed this once-only schedule) before the timer was assigned:
            // on the system clock from a pool thread, on a manual clock inside CreateTimer.
            if (Volatile.Read(ref _disposed) != 0)
            {
                timer.Dispose();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Volatile.Read(ref _timer)?.Dispose();
            }
        }

        private void Fire()
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            if (_once)
            {
                Dispose();
            }

            try
            {
                _receiver.Tell(_message, _sender);
            }
            catch (MailboxFullException)
            {
                // A timer thread has nobody to report to; a full bounded mailbox simply misses this tick.
            }
        }
    }
}
