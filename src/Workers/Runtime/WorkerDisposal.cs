using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Workers.Runtime;

/// <summary>Disposes a worker instance, and the service scope it was built from, at the end of its incarnation.</summary>
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
                Wait(asyncDisposable.DisposeAsync());
                break;
        }
    }

    /// <summary>
    /// Disposes an incarnation's service scope asynchronously (bounded like a worker's disposal): its synchronous
    /// disposal would throw for a service that is only <see cref="IAsyncDisposable"/>.
    /// </summary>
    public static void Dispose(AsyncServiceScope scope) => Wait(scope.DisposeAsync());

    private static void Wait(ValueTask pending)
    {
        // The kernel's PostStop is synchronous. Waiting (bounded) keeps the promise that a stopped worker has
        // released its resources before the system reports termination.
        if (!pending.IsCompleted)
        {
            pending.AsTask().Wait(AsyncDisposeBound);
        }
        else
        {
            pending.GetAwaiter().GetResult();
        }
    }
}
