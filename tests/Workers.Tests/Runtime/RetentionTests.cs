using System.Runtime.CompilerServices;
using ActorHost.Workers.Events;
using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Runtime;

/// <summary>
/// What a failure leaves behind once it has been decided and answered: its exception may live on (in events,
/// logs, a dashboard's history), but not the request it failed nor the incarnation it ended. Under a failure
/// storm, anything longer-lived is promoted through the GC's generations and collected there, expensively.
/// </summary>
public class RetentionTests
{
    [Fact]
    public async Task A_failed_request_is_garbage_once_answered_even_while_its_exception_is_kept()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")]);

        WeakReference request = await FailOneRequestAsync(h);
        WorkerFailed failed = await h.Expect<WorkerFailed>();
        await h.Expect<WorkerRestarted>();

        // The harness keeps every event, so the exception (and anything that hangs on it) stays reachable.
        Assert.True(await CollectedAsync(request));
        GC.KeepAlive(failed.Exception);
    }

    [Fact]
    public async Task A_restarted_worker_instance_is_garbage_even_while_its_context_is_kept()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")]);
        Exchange served = await h.SendAsync("p");
        WorkerContext oldContext = h.Gates.Contexts[served.Envelope.Request.RequestId];
        WeakReference oldWorker = h.Gates.Instances[oldContext];

        await h.SendAsync("p", "throw");
        await h.Expect<WorkerRestarted>();

        Assert.True(oldContext.IsStale);
        Assert.True(await CollectedAsync(oldWorker));
        GC.KeepAlive(oldContext);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> FailOneRequestAsync(Harness h)
    {
        Exchange failing = await h.SendAsync("p", "throw");
        Assert.Equal(RequestOutcome.HandlerFailed, await failing.OutcomeAsync());
        failing.Envelope.Dispose();
        return new WeakReference(failing.Envelope);
    }

    /// <summary>
    /// Collects until the object is gone: for a moment after an answer, the thread that released the request
    /// may still hold it on its stack. A real leak keeps it alive until the guard.
    /// </summary>
    private static async Task<bool> CollectedAsync(WeakReference reference)
    {
        using var guard = new CancellationTokenSource(Harness.Guard);
        while (reference.IsAlive && !guard.IsCancellationRequested)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Yield();
        }

        return !reference.IsAlive;
    }
}
