namespace ActorHost.Workers.Runtime;

/// <summary>Disposes a worker instance at the end of its incarnation.</summary>
internal static class WorkerDisposal
{
    /// <summary>How long an asynchronous disposal may hold up the stop of its actor.</summary>
    public static readonly TimeSpan AsyncDisposeBound = TimeSpan.FromSeconds(5);

    public static void Dispose(RequestWorker worker)
    {
        switch (worker)
        {
            case IDisposable disposable:
                disposable.Dispose();
                break;
            case IAsyncDisposable asyncDisposable:
                // The kernel's PostStop is synchronous. Waiting (bounded) keeps the promise that a stopped
                // worker has released its resources before the system reports termination.
                ValueTask pending = asyncDisposable.DisposeAsync();
                if (!pending.IsCompleted)
                {
                    pending.AsTask().Wait(AsyncDisposeBound);
                }
                else
                {
                    pending.GetAwaiter().GetResult();
                }

                break;
        }
    }
}
