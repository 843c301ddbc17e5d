using System.IO.Pipelines;
using ActorHost.Workers;
using RouteOptions = ActorHost.Workers.Options.RouteOptions;

namespace ActorHost.Gateway.Requests;

/// <summary>
/// What the request-finished line, the metrics and the span say about one request. Filled in as the
/// request goes; written once at the end. It is also its own entry in its route's timeout list
/// (<see cref="RequestDeadlines"/>), the state of its disconnect callback, and its entry in the in-flight list (from
/// arrival until it has finished), so that none of them costs an allocation of its own.
/// </summary>
internal sealed class FinishedRequest(string method, string path, RouteOptions route, bool forwarded = false) : InFlightRequest
{
    /// <summary>True when this node serves the request for another node of the cluster.</summary>
    public bool Forwarded { get; } = forwarded;

    public override string Method { get; } = method;

    public override string Path { get; } = path;

    public override string Route => Options.Name;

    /// <summary>The client's body while the request path reads it; shutdown cancels its pending read to cut it off.</summary>
    public PipeReader? Body { get; set; }

    /// <summary>The route the request was dispatched on.</summary>
    public RouteOptions Options { get; } = route;

    /// <summary>The outcome word; a <see cref="RequestOutcome"/> word or <see cref="ProblemResponse.GatewayFaultWord"/>.</summary>
    public string Outcome { get; set; } = RequestOutcome.Ok.ToWord();

    /// <summary>The outcome as an enum value; null for a gateway fault.</summary>
    public RequestOutcome? OutcomeValue { get; private set; } = RequestOutcome.Ok;

    /// <summary>The status really sent (0 when nothing was sent).</summary>
    public int Status { get; set; }

    /// <summary>Body bytes sent.</summary>
    public long Bytes { get; set; }

    /// <summary>True when the response was cut off (the client saw a truncated response).</summary>
    public bool Aborted { get; set; }

    /// <summary>True when the client went away before the request finished.</summary>
    public bool ClientLeft { get; set; }

    /// <summary>True when a forwarded request was answered with a verdict (outcome in headers, no body).</summary>
    public bool VerdictSent { get; set; }

    public string? WorkerPath { get; set; }

    public int? Incarnation { get; set; }

    /// <summary>The handler's exception for failures, or the cause for cancellations.</summary>
    public Exception? Error { get; set; }

    /// <summary>The sink, once created (closed before the endpoint returns).</summary>
    public HttpResponseSink? Sink { get; set; }

    /// <summary>True for a fault of the gateway itself (logged Critical, never as a handler failure).</summary>
    public bool GatewayFault { get; private set; }

    /// <summary>Where the request is in its timeout; changed only under its <see cref="RequestDeadlines"/>' lock.</summary>
    internal DeadlineState DeadlineState { get; set; }

    /// <summary>When the timeout expires, as a timestamp of the gateway's clock.</summary>
    internal long Deadline { get; set; }

    /// <summary>The request before this one in its timeout list.</summary>
    internal FinishedRequest? DeadlinePrevious { get; set; }

    /// <summary>The request after this one in its timeout list.</summary>
    internal FinishedRequest? DeadlineNext { get; set; }

    /// <summary>Made only if the request ends while its timeout callback runs (rare): completes when it has returned.</summary>
    internal TaskCompletionSource? DeadlineExpired { get; set; }

    /// <inheritdoc />
    protected override void StopReceiving()
    {
        try
        {
            // Ends the pending read (or the next one) with a cancellation; the connection stays up for the 503.
            Body?.CancelPendingRead();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The request has just finished with its body: it sees the cut-off when it tries to dispatch.
        }
    }

    public void SetOutcome(RequestOutcome outcome)
    {
        OutcomeValue = outcome;
        Outcome = outcome.ToWord();
    }

    public void SetGatewayFault(Exception exception)
    {
        OutcomeValue = null;
        Outcome = ProblemResponse.GatewayFaultWord;
        GatewayFault = true;
        Error = exception;
    }
}
