using ActorHost.Workers;
using ActorHost.Workers.Events;
using ActorHost.Workers.Options;

namespace ActorHost.Gateway.Management.Events;

/// <summary>
/// The wire form of <see cref="WorkerEvent"/>s on <c>/events</c>: a dotted type and a small JSON-ready
/// object. Exception messages are included: the management listener is an operator's tool (loopback by
/// default), unlike the public answer, which never shows them.
/// </summary>
internal static class WorkerEventData
{
    public static (string Type, object Data)? Describe(WorkerEvent item) => item switch
    {
        WorkerStarted e => ("worker.started", new { e.Route, e.Path, e.Incarnation }),
        WorkerRestarted e => ("worker.restarted", new { e.Route, e.Path, e.Incarnation, cause = e.CauseType }),
        WorkerStopped e => ("worker.stopped", new { e.Route, e.Path, e.Incarnation, reason = Word(e.Reason) }),
        WorkerFailed e => ("worker.failed", new
        {
            e.Route,
            e.Path,
            e.Incarnation,
            exception = TypeName(e.Exception),
            message = e.Exception.Message,
            directive = Word(e.Directive),
        }),
        WorkerRetriesExhausted e => ("worker.retries-exhausted", new
        {
            e.Route,
            e.Path,
            e.Incarnation,
            maxNrOfRetries = e.MaxNrOfRetries,
            withinTimeRange = e.WithinTimeRange?.ToString() ?? "infinite",
        }),
        FailureEscalated e => ("supervisor.escalated", new { e.Route, e.Path, e.Child, exception = TypeName(e.Exception), message = e.Exception.Message }),
        WorkerStuck e => ("worker.stuck", new { e.Route, e.Path, e.Incarnation, e.RequestId }),
        RequestDeadLettered e => ("request.dead-letter", new { e.Route, e.Path, e.RequestId }),
        WorkerHookFailed e => ("worker.hook-failed", new { e.Route, e.Path, e.Incarnation, exception = TypeName(e.Exception), message = e.Exception.Message }),
        AbandonedHandlerEnded e => ("worker.abandoned-handler-ended", new { e.Route, e.Path, e.Incarnation, exception = e.ExceptionType }),
        _ => null,
    };

    public static string TypeName(Exception exception) => exception.GetType().FullName ?? exception.GetType().Name;

    private static string Word(SupervisionDirective directive) => ConfigWords.Of(directive);

    private static string Word(WorkerStopReason reason) => ConfigWords.Of(reason);
}
