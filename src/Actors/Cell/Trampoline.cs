namespace ActorHost.Actors;

/// <summary>
/// Runs the cell woken by a turn right after that turn, on the same pool thread, instead of a round trip through
/// the pool queue (the common tell-then-finish hop: ~25% of the cost of a message hop).
/// Safety: a turn that keeps its thread after waking a cell (a long or blocking handler, even one waiting for
/// that very cell — sync-over-async) must not hold the woken cell hostage, so a watchdog hands any cell that has
/// stayed stashed for a whole scan period (10–20 ms) back to the thread pool. Owner and watchdog race for the
/// stash with a compare-exchange, so a cell is released exactly once.
/// </summary>
/// <remarks>
/// The watchdog is a thread of its own that sleeps between scans, not a timer: a timer's firing goes through the
/// runtime's timer thread and then a pool thread, and under load those hand-offs (a hundred a second) cost the
/// request path a few percent of its throughput on a small machine. After a while without any stash the thread
/// parks until the next stash wakes it, so an idle process is not woken a hundred times a second either.
/// </remarks>
internal static class Trampoline
{
    private const int ScanPeriodMilliseconds = 10;

    // Scans in a row that saw no stash at all before the watchdog parks (about half a second).
    private const int IdleScansBeforeParking = 50;

    [ThreadStatic]
    private static Slot? t_slot;

    [ThreadStatic]
    private static bool t_active;

    private static Slot[] s_slots = [];
    private static Thread? s_watchdog;

    // 1 while the watchdog is parked (or about to be): the next stash clears it and wakes the watchdog.
    private static int s_parked;
    private static readonly SemaphoreSlim s_wake = new(0);

    /// <summary>True while this thread runs a trampoline (i.e. a cell's turn started from the pool).</summary>
    public static bool IsActive => t_active;

    /// <summary>True while the watchdog is parked, waiting for the next stash (for tests).</summary>
    internal static bool IsParked => Volatile.Read(ref s_parked) != 0;

    /// <summary>Fires each time the watchdog parks (for tests: a test waits on it instead of on the clock).</summary>
    internal static event Action? Parked;

    public static void Enter() => t_active = true;

    public static void Exit() => t_active = false;

    /// <summary>Keeps <paramref name="cell"/> (already marked scheduled) to run after the current turn; false if the stash is taken.</summary>
    public static bool TryStash(ActorCell cell)
    {
        var slot = t_slot ?? Register();
        if (Volatile.Read(ref slot.Cell) is not null)
        {
            return false;
        }

        slot.Sequence++;
        Volatile.Write(ref slot.Cell, cell);

        // Read after the cell is published. A parking watchdog publishes its flag and then forces a barrier on every
        // thread of the process before its last look at the slots, so either it sees this cell or this sees its flag.
        if (Volatile.Read(ref s_parked) != 0)
        {
            WakeWatchdog();
        }
        else if (Volatile.Read(ref s_watchdog) is null)
        {
            StartWatchdog();
        }

        return true;
    }

    /// <summary>Takes this thread's stashed cell, if the watchdog has not released it meanwhile.</summary>
    public static ActorCell? Take()
    {
        var slot = t_slot;
        return slot is null || Volatile.Read(ref slot.Cell) is null ? null : Interlocked.Exchange(ref slot.Cell, null);
    }

    public static bool HasStash => t_slot is { } slot && Volatile.Read(ref slot.Cell) is not null;

    private static Slot Register()
    {
        var slot = new Slot();
        t_slot = slot;
        Slot[] current, updated;
        do
        {
            current = Volatile.Read(ref s_slots);
            updated = [.. current, slot];
        }
        while (Interlocked.CompareExchange(ref s_slots, updated, current) != current);

        return slot;
    }

    private static void StartWatchdog()
    {
        var thread = new Thread(Watch) { IsBackground = true, Name = "ActorHost trampoline watchdog" };
        if (Interlocked.CompareExchange(ref s_watchdog, thread, null) is null)
        {
            thread.UnsafeStart();
        }
    }

    private static void WakeWatchdog()
    {
        // Only the stash that clears the flag releases the watchdog: one release per parking.
        if (Interlocked.Exchange(ref s_parked, 0) != 0)
        {
            s_wake.Release();
        }
    }

    private static void Watch()
    {
        var idleScans = 0;
        while (true)
        {
            Thread.Sleep(ScanPeriodMilliseconds);
            if (Scan())
            {
                idleScans = 0;
            }
            else if (++idleScans >= IdleScansBeforeParking)
            {
                Park();
                idleScans = 0;
            }
        }
    }

    private static void Park()
    {
        Volatile.Write(ref s_parked, 1);

        // The stashing side pays no fence of its own (see TryStash): this one makes every thread's stores visible
        // and every later load see the flag, so the look below cannot miss a cell stashed before the flag was seen.
        Interlocked.MemoryBarrierProcessWide();
        if (AnyStashed())
        {
            if (Interlocked.Exchange(ref s_parked, 0) == 0)
            {
                // A stash saw the flag first and released the semaphore: take that release back.
                s_wake.Wait();
            }

            return;
        }

        Parked?.Invoke();
        s_wake.Wait();
    }

    private static bool AnyStashed()
    {
        foreach (var slot in Volatile.Read(ref s_slots))
        {
            if (Volatile.Read(ref slot.Cell) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Releases every cell stashed for a whole period; true if any thread stashed since the last scan.</summary>
    private static bool Scan()
    {
        var active = false;
        foreach (var slot in Volatile.Read(ref s_slots))
        {
            var sequence = Volatile.Read(ref slot.Sequence);
            active |= sequence != slot.ScannedSequence;
            slot.ScannedSequence = sequence;

            var cell = Volatile.Read(ref slot.Cell);
            if (cell is null)
            {
                slot.SeenCell = null;
                continue;
            }

            active = true;
            if (ReferenceEquals(cell, slot.SeenCell) && sequence == slot.SeenSequence)
            {
                // Stashed for a whole period: its thread is busy elsewhere. Release it to the pool.
                if (Interlocked.CompareExchange(ref slot.Cell, null, cell) == cell)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(cell, preferLocal: false);
                }

                slot.SeenCell = null;
                continue;
            }

            slot.SeenCell = cell;
            slot.SeenSequence = sequence;
        }

        return active;
    }

    private sealed class Slot
    {
        public ActorCell? Cell;
        public int Sequence;

        // Watchdog's memory of the previous scan (only the watchdog touches these).
        public ActorCell? SeenCell;
        public int SeenSequence;
        public int ScannedSequence;
    }
}
