using Microsoft.Extensions.Logging;

namespace ActorHost.Workers.Diagnostics;

/// <summary>
/// The worker side's log messages (category <c>ActorHost.Workers</c>). A worker's failure itself is logged
/// once, by the gateway's request-finished line, with the exception; these lines record what supervision
/// decided, without the stack trace.
/// </summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 4100, EventName = "WorkerStarted", Level = LogLevel.Debug,
        Message = "Worker {Path} (route {Route}) started, incarnation {Incarnation}")]
    public static partial void WorkerStarted(ILogger logger, string route, string path, int incarnation);

    [LoggerMessage(EventId = 4101, EventName = "WorkerFailed", Level = LogLevel.Warning,
        Message = "Worker {Path} (route {Route}) incarnation {Incarnation} failed with {ExceptionType}; supervisor directive: {Directive}")]
    public static partial void WorkerFailed(ILogger logger, string route, string path, int incarnation, string exceptionType, string directive);

    [LoggerMessage(EventId = 4102, EventName = "WorkerRestarted", Level = LogLevel.Information,
        Message = "Worker {Path} (route {Route}) restarted after {CauseType}; now incarnation {Incarnation}")]
    public static partial void WorkerRestarted(ILogger logger, string route, string path, int incarnation, string causeType);

    [LoggerMessage(EventId = 4103, EventName = "WorkerStopped", Level = LogLevel.Information,
        Message = "Worker {Path} (route {Route}) stopped ({Reason}) at incarnation {Incarnation}")]
    public static partial void WorkerStopped(ILogger logger, string route, string path, int incarnation, string reason);

    [LoggerMessage(EventId = 4104, EventName = "WorkerPassivated", Level = LogLevel.Debug,
        Message = "Entity worker {Path} (route {Route}) passivated after being idle, at incarnation {Incarnation}")]
    public static partial void WorkerPassivated(ILogger logger, string route, string path, int incarnation);

    [LoggerMessage(EventId = 4105, EventName = "RetriesExhausted", Level = LogLevel.Warning,
        Message = "Worker {Path} (route {Route}) exceeded its restart budget ({MaxNrOfRetries} within {WithinTimeRange}); stopped instead of restarted")]
    public static partial void RetriesExhausted(ILogger logger, string route, string path, int maxNrOfRetries, string withinTimeRange);

    [LoggerMessage(EventId = 4106, EventName = "FailureEscalated", Level = LogLevel.Warning,
        Message = "{Path} escalates the failure of {Child} ({ExceptionType}) to its own supervisor")]
    public static partial void FailureEscalated(ILogger logger, string path, string child, string exceptionType);

    [LoggerMessage(EventId = 4107, EventName = "WorkerStuck", Level = LogLevel.Warning,
        Message = "Worker {Path} (route {Route}) incarnation {Incarnation} ignored cancellation of request {RequestId}; failing it with a TimeoutException and retiring the incarnation")]
    public static partial void WorkerStuck(ILogger logger, string route, string path, int incarnation, string requestId);

    [LoggerMessage(EventId = 4108, EventName = "RequestDeadLettered", Level = LogLevel.Debug,
        Message = "Request {RequestId} for route {Route} reached {Path} after it stopped; answered worker_stopped")]
    public static partial void RequestDeadLettered(ILogger logger, string route, string path, string requestId);

    [LoggerMessage(EventId = 4109, EventName = "WorkerHookFailed", Level = LogLevel.Error,
        Message = "The stop hook of worker {Path} (route {Route}) incarnation {Incarnation} threw; the stop went on")]
    public static partial void WorkerHookFailed(ILogger logger, Exception exception, string route, string path, int incarnation);

    [LoggerMessage(EventId = 4110, EventName = "AbandonedHandlerEnded", Level = LogLevel.Information,
        Message = "The abandoned handler of worker {Path} (route {Route}) incarnation {Incarnation} finally ended ({Ending}); its result was ignored")]
    public static partial void AbandonedHandlerEnded(ILogger logger, string route, string path, int incarnation, string ending);

    [LoggerMessage(EventId = 4111, EventName = "RuntimeFault", Level = LogLevel.Critical,
        Message = "Worker runtime fault in {Where}")]
    public static partial void RuntimeFault(ILogger logger, Exception exception, string where);

    [LoggerMessage(EventId = 4112, EventName = "RuntimeStarted", Level = LogLevel.Information,
        Message = "Worker runtime started: {RouteCount} route(s), fault injection {FaultInjection}")]
    public static partial void RuntimeStarted(ILogger logger, int routeCount, string faultInjection);

    [LoggerMessage(EventId = 4113, EventName = "RuntimeStopped", Level = LogLevel.Information,
        Message = "Worker runtime stopped ({Termination}); {Leftover} request(s) were still held and were answered worker_stopped")]
    public static partial void RuntimeStopped(ILogger logger, string termination, int leftover);

    [LoggerMessage(EventId = 4114, EventName = "InjectedExit", Level = LogLevel.Critical,
        Message = "Fault rule {RuleId} ends the process with exit code {ExitCode} at {Point} of worker {Path} (route {Route})")]
    public static partial void InjectedExit(ILogger logger, int ruleId, int exitCode, string point, string path, string route);

    [LoggerMessage(EventId = 4115, EventName = "PoolWithoutLiveWorkers", Level = LogLevel.Warning,
        Message = "Pool route {Route} has no live workers left (0 of {PoolSize}): supervision stopped them all and a pool does not replace stopped workers; every request to it is answered 503 worker_stopped until the route is restarted or the process is")]
    public static partial void PoolWithoutLiveWorkers(ILogger logger, string route, int poolSize);

    [LoggerMessage(EventId = 4116, EventName = "PoolWorkersBack", Level = LogLevel.Information,
        Message = "Pool route {Route} has live workers again ({LiveWorkers} of {PoolSize}): the route was restarted and its pool rebuilt")]
    public static partial void PoolWorkersBack(ILogger logger, string route, int liveWorkers, int poolSize);
}
