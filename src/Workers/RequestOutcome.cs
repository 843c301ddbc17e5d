namespace ActorHost.Workers;

/// <summary>
/// How a request ended. This is the one vocabulary shared by logs, metrics, the event stream, the
/// dashboard and the tests; <see cref="RequestOutcomeExtensions.ToWord"/> gives the wire form.
/// </summary>
public enum RequestOutcome
{
    /// <summary>The handler completed and the response ended normally (any status below 400).</summary>
    Ok,

    /// <summary>The request was rejected as bad client input (4xx); never a worker failure.</summary>
    ClientError,

    /// <summary>The handler threw before the response started; the client got 500.</summary>
    HandlerFailed,

    /// <summary>The handler threw after the response started; the connection was aborted.</summary>
    FailedAfterStart,

    /// <summary>The client disconnected and the handler was cancelled (499, never a failure).</summary>
    ClientAborted,

    /// <summary>A response write failed because the peer went away; the handler was cancelled.</summary>
    PeerClosed,

    /// <summary>The route timeout fired (504 if nothing was sent yet).</summary>
    Timeout,

    /// <summary>The worker was stopped before it could serve the request (503 with Retry-After).</summary>
    WorkerStopped,

    /// <summary>The gateway is shutting down and refused the request (503 with Retry-After).</summary>
    Rejected,

    /// <summary>The request was still running at the end of the shutdown grace period and was cut off.</summary>
    ShutdownAborted,

    /// <summary>
    /// The gateway's own code failed while serving the request (a runtime bug, logged Critical); the client
    /// got 500. Never used for a handler's exception.
    /// </summary>
    GatewayFault,

    /// <summary>
    /// Cluster: no node could serve the request's shard in time (hand-off or failover gap longer than
    /// <c>handoff-timeout</c>, or this node self-fenced); 503 with Retry-After. Nothing ran.
    /// </summary>
    ShardUnavailable,

    /// <summary>
    /// The worker's bounded mailbox was full (<c>actors.mailbox.overflow</c>), so the request was refused without
    /// being queued; 503 with Retry-After. The worker is alive and busy: nothing was stopped and nothing ran.
    /// </summary>
    Overloaded,
}

/// <summary>Wire names of <see cref="RequestOutcome"/> values.</summary>
public static class RequestOutcomeExtensions
{
    private static readonly string[] Words =
    [
        "ok", "client_error", "handler_failed", "failed_after_start", "client_aborted",
        "peer_closed", "timeout", "worker_stopped", "rejected", "shutdown_aborted", "gateway_fault", "shard_unavailable",
        "overloaded",
    ];

    /// <summary>The snake_case word used in logs, metrics tags, events and the dashboard.</summary>
    public static string ToWord(this RequestOutcome outcome) => Words[(int)outcome];

    /// <summary>Parses a word produced by <see cref="ToWord"/>.</summary>
    public static bool TryParseWord(string word, out RequestOutcome outcome)
    {
        int index = Array.IndexOf(Words, word);
        outcome = index < 0 ? default : (RequestOutcome)index;
        return index >= 0;
    }

    /// <summary>
    /// The status the gateway answers with when it, not the handler, writes the response for this outcome
    /// (the response has not started). Outcomes the handler answers itself return null.
    /// </summary>
    public static int? GatewayStatus(this RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.HandlerFailed => 500,
        RequestOutcome.ClientAborted => 499,
        RequestOutcome.Timeout => 504,
        RequestOutcome.WorkerStopped => 503,
        RequestOutcome.Rejected => 503,
        RequestOutcome.ShutdownAborted => 503,
        RequestOutcome.GatewayFault => 500,
        RequestOutcome.ShardUnavailable => 503,
        RequestOutcome.Overloaded => 503,
        _ => null,
    };
}
