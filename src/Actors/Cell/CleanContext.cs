namespace ActorHost.Actors;

/// <summary>
/// The execution context of a thread without async locals (what a thread-pool work item queued without flow runs
/// under), captured once on a thread started with flow suppressed.
/// </summary>
internal static class CleanContext
{
    private static readonly Lazy<ExecutionContext> s_value = new(Capture);

    public static ExecutionContext Value => s_value.Value;

    private static ExecutionContext Capture()
    {
        ExecutionContext? captured = null;
        var thread = new Thread(() => captured = ExecutionContext.Capture()) { IsBackground = true, Name = "actorhost-clean-context" };
        using (ExecutionContext.SuppressFlow())
        {
            thread.Start();
        }

        thread.Join();
        return captured ?? throw new InvalidOperationException("A thread started without flow captured no execution context.");
    }
}
