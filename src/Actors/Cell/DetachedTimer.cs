namespace ActorHost.Actors;

/// <summary>
/// Makes timers that do not capture the execution context they are made in. A timer on the system clock keeps the
/// context of the code that created it, and runs its callback in it, for as long as it lives. The kernel's timers only
/// tell a message or complete a promise, which needs none of that context; capturing it would keep the creator's
/// async-local values (its activity, its log scopes, whatever it stored) alive for the timer's lifetime, and a
/// long-lived timer would make that the process's lifetime.
/// </summary>
internal static class DetachedTimer
{
    /// <summary><see cref="TimeProvider.CreateTimer"/> with the execution context's flow suppressed.</summary>
    public static ITimer Create(TimeProvider time, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // SuppressFlow throws when flow is already suppressed, so only suppress what is not.
        using AsyncFlowControl? noFlow = ExecutionContext.IsFlowSuppressed() ? null : ExecutionContext.SuppressFlow();
        return time.CreateTimer(callback, state, dueTime, period);
    }
}
