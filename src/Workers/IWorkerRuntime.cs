using ActorHost.Workers.Options;

namespace ActorHost.Workers;

/// <summary>
/// The request-worker runtime as the host sees it: it owns the actor system and one supervisor per
/// route, and takes <see cref="RequestEnvelope"/>s to the right worker. The host never runs user code
/// itself and never touches actors directly. An interface so that the cluster can put forwarding in
/// front of it and host tests can stand in for it.
/// </summary>
public interface IWorkerRuntime : IAsyncDisposable
{
    /// <summary>The routes this runtime serves, by name.</summary>
    IReadOnlyDictionary<string, RouteOptions> Routes { get; }

    /// <summary>
    /// Builds an envelope for a request, wrapping the sink with any matching injected fault (write
    /// faults are simulated at the sink, so they look exactly like a real peer reset).
    /// </summary>
    /// <param name="request">The request; <see cref="WorkerRequest.Route"/> names the route.</param>
    /// <param name="sink">The real response.</param>
    RequestEnvelope CreateEnvelope(WorkerRequest request, IResponseSink sink);

    /// <summary>
    /// Hands the envelope to its route's worker (entity mode: the worker of its entity key, created on
    /// first use). Never throws for anything a worker does: every result arrives through
    /// <see cref="RequestEnvelope.Completion"/>, including <see cref="RequestOutcome.WorkerStopped"/>
    /// when the worker is stopped (or stops) before it serves the request.
    /// </summary>
    /// <param name="envelope">The request.</param>
    void Dispatch(RequestEnvelope envelope);

    /// <summary>
    /// Declares the handler serving <paramref name="envelope"/> stuck (it ignored cancellation past the
    /// route's <c>stuck-after</c>): its worker is failed with a <see cref="TimeoutException"/>, the
    /// route's strategy decides, and the old incarnation is retired so anything it does later is stale.
    /// </summary>
    /// <param name="envelope">The request whose handler is stuck.</param>
    void ReportStuck(RequestEnvelope envelope);

    /// <summary>
    /// The pool routes that supervision has left without a single live worker (directive <c>stop</c>, a retry
    /// budget exhausted, or the route supervisor stopped for good). A pool does not replace stopped workers, so
    /// such a route answers every request 503 <c>worker_stopped</c> (<see cref="NoLiveWorkersException"/>) until a
    /// route-level restart rebuilds it or the process restarts. Empty while every pool has a worker; never lists
    /// entity routes (a stopped entity is re-created by its next request) nor routes emptied by a shutdown.
    /// </summary>
    IReadOnlyCollection<string> RoutesWithoutLiveWorkers => [];

    /// <summary>Completes when the actor system has terminated, saying why (normal stop or root escalation).</summary>
    Task<RuntimeTermination> WhenTerminated { get; }

    /// <summary>
    /// Stops every route: workers before their supervisors, every worker's stop hook run, then the actor
    /// system terminates. Bounded by <paramref name="timeout"/>.
    /// </summary>
    /// <param name="timeout">Upper bound for the whole stop.</param>
    Task StopAsync(TimeSpan timeout);
}

/// <summary>Why the runtime's actor system ended.</summary>
/// <param name="Escalated">True when a failure escalated past the root guardian.</param>
/// <param name="Reason">The escalated exception, original stack trace preserved; null for a normal stop.</param>
public sealed record RuntimeTermination(bool Escalated, Exception? Reason);
