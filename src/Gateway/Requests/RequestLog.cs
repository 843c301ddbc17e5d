using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Requests;

/// <summary>
/// The request-finished line. Category <c>ActorHost.Requests</c> carries exactly one
/// <see cref="RequestFinished"/> line per request and nothing else, so that "one request, one line" holds
/// for anyone counting; everything else the request path says goes to <see cref="GatewayLog"/>.
/// </summary>
internal static partial class RequestLog
{
    /// <summary>The category of the request-finished line.</summary>
    public const string Category = "ActorHost.Requests";

    /// <summary>The event id of the request-finished line.</summary>
    public const int RequestFinishedId = 1;

    [LoggerMessage(EventId = RequestFinishedId, EventName = "RequestFinished",
        Message = "{Method} {Path} finished {Status} {Outcome} in {DurationMs} ms ({Bytes} bytes) route={Route} worker={WorkerPath}#{Incarnation} error={ErrorType} client_left={ClientLeft} aborted={Aborted}")]
    public static partial void RequestFinished(
        ILogger logger,
        LogLevel level,
        Exception? exception,
        string method,
        string path,
        int status,
        string outcome,
        double durationMs,
        long bytes,
        string route,
        string? workerPath,
        int? incarnation,
        string? errorType,
        bool clientLeft,
        bool aborted);
}
