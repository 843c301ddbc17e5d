using System.Diagnostics;

namespace ActorHost.Actors;

/// <summary>An Ask waiting for its timeout (implemented by the Ask promise itself: no extra allocation).</summary>
internal interface IAskTimeout
{
    IAskTimeout? NextTimeout { get; set; }

    long DeadlineTimestamp { get; }

    bool IsDone { get; }

    void OnTimeout();
}

/// <summary>
/// Ask timeouts on the system clock without a timer per Ask: Asks are pushed on a lock-free list and one
/// periodic sweep (every <see cref="Period"/>, only while there are Asks) drops the completed ones and fails the
/// overdue ones. A timeout therefore fires up to one period late; a completed Ask is released within one period.
/// (A dedicated timer per Ask costs a lock and ~150 bytes; with a custom TimeProvider — tests — each Ask gets its
/// own exact timer instead.)
/// </summary>
internal sealed class AskTimeoutSweeper
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);

    private IAskTimeout? _incoming; // pushed by askers, latest first
    private IAskTimeout? _pending;  // owned by the sweep
    private ITimer? _timer;
    private int _sweeping;

    public void Add(IAskTimeout entry)
    {
        var head = Volatile.Read(ref _incoming);
        while (true)
        {
            entry.NextTimeout = head;
            var seen = Interlocked.CompareExchange(ref _incoming, entry, head);
            if (seen == head)
            {
                break;
            }

            head = seen;
        }

        if (Volatile.Read(ref _timer) is null)
        {
            EnsureTimer();
        }
    }

    private void EnsureTimer()
    {
        // Made by whichever Ask finds no timer (or by the sweep re-arming itself): it must not keep that asker's context.
        var timer = DetachedTimer.Create(TimeProvider.System, static s => ((AskTimeoutSweeper)s!).Sweep(), this, Period, Period);
        if (Interlocked.CompareExchange(ref _timer, timer, null) is not null)
        {
            timer.Dispose();
        }
    }

    private void Sweep()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return; // the previous sweep is still running
        }

        try
        {
            var incoming = Interlocked.Exchange(ref _incoming, null);
            while (incoming is not null)
            {
                var next = incoming.NextTimeout;
                incoming.NextTimeout = _pending;
                _pending = incoming;
                incoming = next;
            }

            var now = Stopwatch.GetTimestamp();
            IAskTimeout? kept = null;
            var entry = _pending;
            while (entry is not null)
            {
                var next = entry.NextTimeout;
                if (entry.IsDone)
                {
                    entry.NextTimeout = null;
                }
                else if (now >= entry.DeadlineTimestamp)
                {
                    entry.NextTimeout = null;
                    entry.OnTimeout();
                }
                else
                {
                    entry.NextTimeout = kept;
                    kept = entry;
                }

                entry = next;
            }

            _pending = kept;
            if (kept is null && Volatile.Read(ref _incoming) is null)
            {
                // Idle: stop ticking. An Ask added meanwhile re-arms (it either saw no timer or we see its entry).
                Interlocked.Exchange(ref _timer, null)?.Dispose();
                if (Volatile.Read(ref _incoming) is not null)
                {
                    EnsureTimer();
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
