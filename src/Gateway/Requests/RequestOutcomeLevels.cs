using ActorHost.Workers;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Requests;

/// <summary>The log level of the request-finished line for each outcome (see README "Outcomes").</summary>
internal static class RequestOutcomeLevels
{
    public static LogLevel LevelOf(RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.Ok or RequestOutcome.ClientError or RequestOutcome.ClientAborted or RequestOutcome.PeerClosed => LogLevel.Information,
        RequestOutcome.Timeout or RequestOutcome.WorkerStopped or RequestOutcome.Rejected or RequestOutcome.ShutdownAborted
            or RequestOutcome.ShardUnavailable or RequestOutcome.Overloaded => LogLevel.Warning,
        RequestOutcome.HandlerFailed or RequestOutcome.FailedAfterStart => LogLevel.Error,
        RequestOutcome.GatewayFault => LogLevel.Critical,
        _ => LogLevel.Error,
    };

    /// <summary>
    /// Only handler failures carry their exception into the request-finished line; a gateway fault's is on its Critical
    /// GatewayFault line (event id 100).
    /// </summary>
    public static bool LogsException(RequestOutcome outcome) =>
        outcome is RequestOutcome.HandlerFailed or RequestOutcome.FailedAfterStart;
}
