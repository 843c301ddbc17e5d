namespace ActorHost.Workers;

/// <summary>
/// A one-time signal whose task is made only if someone waits before it fires: per-request signals that are
/// rarely awaited (the handler has exited, the gateway has answered) then cost no allocation in the common case.
/// The state is a <see cref="TaskCompletionSource"/> field owned by the caller, used only through these methods.
/// </summary>
public static class LazySignal
{
    // Stands for "fired" when nobody waited before it fired.
    private static readonly TaskCompletionSource Fired = CreateFired();

    /// <summary>The task that completes when <see cref="Fire"/> is called (already complete if it was).</summary>
    /// <param name="source">The signal's field.</param>
    public static Task WhenFired(ref TaskCompletionSource? source)
    {
        TaskCompletionSource? current = Volatile.Read(ref source);
        if (current is null)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            current = Interlocked.CompareExchange(ref source, waiter, null) ?? waiter;
        }

        return current.Task;
    }

    /// <summary>Fires the signal; later calls do nothing.</summary>
    /// <param name="source">The signal's field.</param>
    public static void Fire(ref TaskCompletionSource? source)
    {
        // Either nobody waits yet and the completed stand-in takes the place, or a waiter's source is completed.
        Interlocked.CompareExchange(ref source, Fired, null)?.TrySetResult();
    }

    private static TaskCompletionSource CreateFired()
    {
        var fired = new TaskCompletionSource();
        fired.SetResult();
        return fired;
    }
}
