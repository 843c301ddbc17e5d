using ActorHost.Workers.Options;

namespace ActorHost.Workers.Events;

/// <summary>
/// A supervision event about a request worker, published on the runtime's event stream
/// (<see cref="Runtime.WorkerRuntime.Events"/>; subscribe with <c>Subscribe&lt;WorkerEvent&gt;()</c>). Logs and
/// metrics of the worker side are subscribers of these events too. Incarnation numbers are worker-level: they
/// continue across the re-creation of an entity.
/// </summary>
/// <param name="Route">The route.</param>
/// <param name="Path">The worker's actor path (for <see cref="FailureEscalated"/>: the supervisor that escalates).</param>
public abstract record WorkerEvent(string Route, string Path)
{
    /// <summary>When it happened (the runtime's clock).</summary>
    public DateTimeOffset Timestamp { get; init; }
}

/// <summary>A worker's first incarnation started (its <c>OnStarted</c> returned).</summary>
/// <param name="Route">The route.</param>
/// <param name="Path">The worker.</param>
/// <param name="Incarnation">Its incarnation (1, or more for a re-created entity).</param>
public sealed record WorkerStarted(string Route, string Path, int Incarnation) : WorkerEvent(Route, Path);

/// <summary>A fresh incarnation replaced a failed one.</summary>
/// <param name="Route">The route.</param>
/// <param name="Path">The worker.</param>
/// <param name="Incarnation">The new incarnation.</param>
/// <param name="CauseType">Full type name of the failure that caused the restart.</param>
public sealed record WorkerRestarted(string Route, string Path, int Incarnation, string CauseType) : WorkerEvent(Route, Path);

/// <summary>A worker stopped for good (its last incarnation's <c>OnStopped</c> ran).</summary>
/// <param name="Route">The route.</param>
/// <param name="Path">The worker.</param>
/// <param name="Incarnation">Its last incarnation.</param>
/// <param name="Reason">Why.</param>
public sealed record WorkerStopped(string Route, string Path, int Incarnation, WorkerStopReason Reason) : WorkerEvent(Route, Path);

/// <summary>
/// A worker failed and its supervisor decided. <see cref="Directive"/> is the directive actually applied (a
/// restart refused by the retry budget is reported as <see cref="SupervisionDirective.Stop"/>).
/// </summary>
/// <param name="Route">The route.</param>
/// <param name="Path">The worker.</param>
/// <param name="Incarnation">The incarnation that failed.</param>
/// <param name="Exception">The original exception (the gateway logs it once with the request; do not log it again).</param>
/// <param name="Directive">What the supervisor did.</param>
public sealed record WorkerFailed(string Route, string Path, int Incarnation, Exception Exception, SupervisionDirective Directive) : WorkerEvent(Route, Path);

/// <summary>A worker exceeded its strategy's restart budget and was stopped instead of restarted.</summary>
/// <param name="Route">The route.</param>
/// <param name="Path">The worker.</param>
/// <param name="Incarnation">The incarnation that failed last.</param>
/// <param name="MaxNrOfRetries">The budget.</param>
/// <param name="WithinTimeRange">The window (null = infinite).</param>
public sealed record WorkerRetriesExhausted(string Route, string Path, int Incarnation, int MaxNrOfRetries, TimeSpan? WithinTimeRange) : WorkerEvent(Route, Path);

/// <summary>
/// A supervisor escalated a failure to its own supervisor: a route supervisor (<see cref="WorkerEvent.Path"/>
/// <c>/user/routes/&lt;route&gt;</c>), or <c>/user/routes</c> and <c>/user</c> on the way to the root.
/// </summary>
/// <param name="Route">The route the failure came from (empty above the routes when unknown).</param>
/// <param name="Path">The supervisor that escalates.</param>
/// <param name="Child">The child whose failure is escalated.</param>
/// <param name="Exception">The original exception.</param>
public sealed record FailureEscalated(string Route, string Path, string Child, Exception Exception) : WorkerEvent(Route, Path);

/// <summary>The host reported a handler stuck and its worker was failed with a <see cref="TimeoutException"/>.</summary>
/// <param name="Route">The route.</param>
/// <param name="Path">The worker.</param>
/// <param name="Incarnation">The incarnation being retired.</param>
/// <param name="RequestId">The request whose handler ignored its cancellation.</param>
public sealed record WorkerStuck(string Route, string Path, int Incarnation, string RequestId) : WorkerEvent(Route, Path);

/// <summary>A request could not be delivered (its worker had stopped) and was completed as worker_stopped.</summary>
/// <param name="Route">The route.</param>
/// <param name="Path">The intended worker (or route supervisor).</param>
/// <param name="RequestId">The request.</param>
public sealed record RequestDeadLettered(string Route, string Path, string RequestId) : WorkerEvent(Route, Path);

/// <summary>A worker's stop hook (<c>OnStopped</c>, disposal) threw; reported, not supervised.</summary>
/// <param name="Route">The route.</param>
/// <param name="Path">The worker.</param>
/// <param name="Incarnation">The incarnation.</param>
/// <param name="Exception">What it threw.</param>
public sealed record WorkerHookFailed(string Route, string Path, int Incarnation, Exception Exception) : WorkerEvent(Route, Path);

/// <summary>A handler abandoned as stuck finally returned or threw; its result was ignored.</summary>
/// <param name="Route">The route.</param>
/// <param name="Path">The worker.</param>
/// <param name="Incarnation">The retired incarnation.</param>
/// <param name="ExceptionType">What it ended with, or null when it returned.</param>
public sealed record AbandonedHandlerEnded(string Route, string Path, int Incarnation, string? ExceptionType) : WorkerEvent(Route, Path);

/// <summary>Why a worker stopped.</summary>
public enum WorkerStopReason
{
    /// <summary>A <c>stop</c> directive, an exhausted retry budget, an all-for-one stop, or its route restarting.</summary>
    Stopped,

    /// <summary>Entity mode: idle for <c>passivate-after</c>.</summary>
    Passivated,

    /// <summary>The runtime is stopping.</summary>
    Shutdown,
}
