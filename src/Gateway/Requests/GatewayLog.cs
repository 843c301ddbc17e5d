using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Requests;

/// <summary>The gateway's own log lines (category <c>ActorHost.Gateway</c>): faults of the runtime, not of handlers.</summary>
internal static partial class GatewayLog
{
    /// <summary>The category of the gateway's own lines.</summary>
    public const string Category = "ActorHost.Gateway";

    [LoggerMessage(EventId = 100, EventName = "GatewayFault", Level = LogLevel.Critical,
        Message = "The gateway's own request path failed for {Method} {Path} (route {Route}). This is a bug in ActorHost, not in a handler.")]
    public static partial void GatewayFault(ILogger logger, Exception? exception, string method, string path, string route);

    [LoggerMessage(EventId = 101, EventName = "HandlerStuck", Level = LogLevel.Warning,
        Message = "The handler for {Method} {Path} on {WorkerPath}#{Incarnation} ignored its cancellation for {StuckAfter} after the timeout; its worker is reported stuck.")]
    public static partial void HandlerStuck(ILogger logger, string method, string path, string? workerPath, int? incarnation, TimeSpan stuckAfter);

    [LoggerMessage(EventId = 102, EventName = "RootEscalation", Level = LogLevel.Critical,
        Message = "A failure escalated past the root guardian; the process exits with code {ExitCode} ({Action}).")]
    public static partial void RootEscalation(ILogger logger, Exception? exception, int exitCode, string action);

    [LoggerMessage(EventId = 103, EventName = "RuntimeTerminatedUnexpectedly", Level = LogLevel.Critical,
        Message = "The worker runtime terminated while the gateway was serving; the process exits with code {ExitCode}.")]
    public static partial void RuntimeTerminatedUnexpectedly(ILogger logger, int exitCode);

    [LoggerMessage(EventId = 104, EventName = "ListeningOn", Level = LogLevel.Information,
        Message = "{Listener} listening on {Addresses}.")]
    public static partial void ListeningOn(ILogger logger, string listener, string addresses);

    [LoggerMessage(EventId = 105, EventName = "ManagementRefused", Level = LogLevel.Warning,
        Message = "Management request {Method} {Path} from {Remote} refused: {Reason}.")]
    public static partial void ManagementRefused(ILogger logger, string method, string path, string? remote, string reason);

    [LoggerMessage(EventId = 107, EventName = "ClientDisconnected", Level = LogLevel.Debug,
        Message = "The client of {Method} {Path} disconnected while its handler ran (handler-mode {HandlerMode}).")]
    public static partial void ClientDisconnected(ILogger logger, string method, string path, string handlerMode);

    [LoggerMessage(EventId = 106, EventName = "RuntimeStopFailed", Level = LogLevel.Error,
        Message = "The worker runtime did not stop cleanly.")]
    public static partial void RuntimeStopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 108, EventName = "RequestDispatched", Level = LogLevel.Debug,
        Message = "{Method} {Path} is in flight on route {Route}.")]
    public static partial void RequestDispatched(ILogger logger, string method, string path, string route);

    // The reason only, without the exception: the same line the operator sees on stderr, not a stack trace.
    [LoggerMessage(EventId = 109, EventName = "StartFailed", Level = LogLevel.Critical,
        Message = "The gateway could not start ({ExceptionType}): {Reason}")]
    public static partial void StartFailed(ILogger logger, Type exceptionType, string reason);
}
