using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using ActorHost.Cluster.Forwarding;
using ActorHost.Gateway.Cluster;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Shutdown;
using ActorHost.Gateway.Telemetry;
using ActorHost.Workers;
using ActorHost.Workers.Options;
using RouteOptions = ActorHost.Workers.Options.RouteOptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ActorHost.Gateway.Requests;

/// <summary>
/// The code behind every route endpoint. It never runs user code: it turns the HTTP request into a
/// <see cref="RequestEnvelope"/>, hands it to the worker runtime, waits for the one result, and then
/// answers from what the <see cref="ResponseChannel"/> says the client has really received — never from
/// the exception. Then it writes the one request-finished line.
/// </summary>
internal sealed class RouteRequestHandler : IDisposable
{
    // How long the endpoint waits, after finishing a response, for a handler's call already inside Kestrel
    // to leave before the context is recycled. Such a call fails fast once the response is aborted.
    private static readonly TimeSpan SinkDrainBound = TimeSpan.FromSeconds(5);

    // A forwarded request times out on its owner this much before its sender would give up (the verdict's way back),
    // in steps of the second figure.
    private static readonly TimeSpan ForwardedTimeoutMargin = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ForwardedTimeoutStep = TimeSpan.FromMilliseconds(100);

    private const string CutOffMessage = "The request was still arriving at the end of the shutdown's mercy period.";

    private readonly IWorkerRuntime _runtime;
    private readonly GatewayOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly InFlightRequests _inFlight;
    private readonly TimeProvider _time;
    private readonly GracefulShutdown _shutdown;
    private readonly CancellationToken _shutdownToken;
    private readonly ILogger _requestLog;
    private readonly ILogger _gatewayLog;
    private readonly StackTraceRepeats? _stackTraceRepeats;

    // Per route template, where its route values are in a raw request target; made the first time a value needs it.
    private readonly ConcurrentDictionary<string, RawRouteValues> _rawRouteValues = new(StringComparer.Ordinal);

    // One timeout list per timeout value: the routes that share a value share its timer.
    private readonly ConcurrentDictionary<TimeSpan, RequestDeadlines> _deadlines = new();

    // Made once, so that a request pays for no delegate: its state travels in its FinishedRequest.
    private readonly Func<bool> _refusesRequests;
    private readonly Action<object?> _onClientDisconnected;

    public RouteRequestHandler(
        IWorkerRuntime runtime,
        GatewaySettings settings,
        GatewayMetrics metrics,
        InFlightRequests inFlight,
        TimeProvider timeProvider,
        GracefulShutdown shutdown,
        ILoggerFactory loggerFactory,
        ActorHost.Cluster.ClusterWorkerRuntime? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(shutdown);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        // In a cluster, entity requests go through the cluster's dispatch (local, forwarded or waiting for an owner).
        _runtime = cluster ?? runtime;
        _options = settings.Gateway;
        _metrics = metrics;
        _inFlight = inFlight;
        _time = timeProvider;
        _shutdown = shutdown;

        // Fires when shutdown's grace begins: the moment endless responses are asked to end.
        _shutdownToken = shutdown.GraceStarted;
        _requestLog = loggerFactory.CreateLogger(RequestLog.Category);
        _gatewayLog = loggerFactory.CreateLogger(GatewayLog.Category);
        _stackTraceRepeats = settings.Logging.StackTraces == StackTraceMode.FirstPerWindow
            ? new StackTraceRepeats(settings.Logging.StackTraceWindow, timeProvider)
            : null;
        _refusesRequests = () => _shutdown.RefusesRequests;
        _onClientDisconnected = state => OnClientDisconnected((FinishedRequest)state!);
    }

    public Task HandleAsync(HttpContext context, RouteOptions route) => HandleCoreAsync(context, route, forwarded: null);

    /// <summary>
    /// Serves a request another node forwarded (already authenticated): the same path as a client's request,
    /// except that nothing is answered on the sender's behalf — outcomes this node would turn into a problem
    /// response travel back as a verdict (status + outcome headers, no body), a started response ends with
    /// the outcome, worker and incarnation in the trailers, and a shard this node does not serve is 421.
    /// </summary>
    public Task HandleForwardedAsync(HttpContext context, RouteOptions route, ForwardedRequest forwarded) => HandleCoreAsync(context, route, forwarded);

    private async Task HandleCoreAsync(HttpContext context, RouteOptions route, ForwardedRequest? forwarded)
    {
        long startedAt = _time.GetTimestamp();
        string method = context.Request.Method;
        string path = context.Request.Path.Value ?? "/";
        var finished = new FinishedRequest(method, path, route, forwarded is not null);
        using Activity? activity = GatewayTracing.StartRequest(context, method, route.Name, route.Path);
        _metrics.RequestStarted(route.Name);

        // In flight from its arrival, not from its dispatch: a request still sending its body when shutdown starts is
        // waited for by grace, and cut off and named by mercy, like any other.
        _inFlight.Add(finished);
        if (forwarded is not null)
        {
            // Every answer of this path names the node, so the sender can tell it from a refusal of the
            // internal listener itself (which never does).
            context.Response.Headers[ForwardHeaders.Node] = forwarded.NodeId;
        }

        try
        {
            await ServeAsync(context, route, finished, forwarded);
        }
        catch (Exception ex)
        {
            // Anything thrown here came from the gateway's own code (handler exceptions arrive as results):
            // a bug in ActorHost. Say so loudly and never dress it as a handler failure.
            GatewayLog.GatewayFault(_gatewayLog, ex, method, path, route.Name);
            finished.SetGatewayFault(ex);
            if (forwarded is not null && !context.Response.HasStarted && finished.Envelope?.Response.TrySeal() != false)
            {
                finished.Status = StatusCodes.Status500InternalServerError;
                WriteVerdict(context, finished.Status, ProblemResponse.GatewayFaultWord, ex, forwarded, finished);
            }
            else
            {
                await AnswerGatewayFaultAsync(context, finished.Envelope, finished);
            }
        }
        finally
        {
            if (finished.Sink is not null)
            {
                await CloseSinkAsync(finished.Sink);
            }

            Finish(finished, _time.GetElapsedTime(startedAt), activity);

            // Only now is the request over for shutdown's grace and the escalation exit: its answer is written and
            // its line logged; all Kestrel has left to do is flush what it holds.
            _inFlight.Remove(finished);
        }
    }

    private async Task ServeAsync(HttpContext context, RouteOptions route, FinishedRequest finished, ForwardedRequest? forwarded)
    {
        // A forwarded request is refused only by ownership (421 below): a leaving node has handed its shards
        // off before it stops accepting, and the sender must not turn our shutdown into its client's 503.
        if (forwarded is null && _shutdown.RefusesRequests)
        {
            // Arrived on a connection that was open before the listeners closed: say so, and close it.
            context.Response.Headers.Connection = "close";
            finished.SetOutcome(RequestOutcome.Rejected);
            finished.Status = StatusCodes.Status503ServiceUnavailable;
            finished.Bytes = await ProblemResponse.WriteAsync(context, finished.Status, RequestOutcome.Rejected,
                "The gateway is shutting down; retry the request on another instance.", null, development: false, _options.RetryAfter);
            return;
        }

        // Read once: Kestrel's getter takes a lock on every read, and the request path needs the token four times.
        CancellationToken requestAborted = context.RequestAborted;
        ReadOnlyMemory<byte>? body;
        try
        {
            if (forwarded is not null)
            {
                body = forwarded.Body;
            }
            else
            {
                finished.Body = context.Request.BodyReader;
                body = await RequestBodyReader.ReadAsync(context, _options.MaxRequestBodySize, requestAborted);
                finished.Body = null;
            }
        }
        catch (Exception ex) when (CutOffByShutdown(finished, ex, requestAborted))
        {
            // The gateway ended the read, not the client: never blame the client for the shutdown.
            await AnswerCutOffAsync(context, finished, ex);
            return;
        }
        catch (Exception ex) when (ClientLeftDuringBodyRead(ex, requestAborted))
        {
            finished.ClientLeft = true;
            finished.Error = ex;
            finished.SetOutcome(RequestOutcome.ClientAborted);
            finished.Status = StatusCodes.Status499ClientClosedRequest;
            return;
        }
        catch (BadHttpRequestException ex)
        {
            await AnswerBeforeDispatchAsync(context, finished, ex.StatusCode, ex.Message, ex, forwarded);
            return;
        }

        if (body is not { } bodyBytes)
        {
            await AnswerBeforeDispatchAsync(context, finished, StatusCodes.Status413PayloadTooLarge,
                string.Create(CultureInfo.InvariantCulture, $"The request body is larger than the limit of {_options.MaxRequestBodySize} bytes."), null, forwarded);
            return;
        }

        WorkerRequest request = BuildRequest(context, route, bodyBytes, forwarded);
        if (route.Mode == RouteMode.Entity && string.IsNullOrEmpty(request.EntityKey))
        {
            await AnswerBeforeDispatchAsync(context, finished, StatusCodes.Status400BadRequest,
                $"The route value '{route.EntityKey}' that names the entity is missing.", null, forwarded);
            return;
        }

        // A forwarded response may be started and then held (see ForwardedResponseSink): its headers go out at once.
        var sink = new HttpResponseSink(context, requestAborted, _refusesRequests, headersWithFirstWrite: forwarded is null);
        finished.Sink = sink;
        ForwardedResponseSink? forwardedSink = forwarded is null ? null : new ForwardedResponseSink(sink, request.Method);
        RequestEnvelope envelope = _runtime.CreateEnvelope(request, forwardedSink ?? (IResponseSink)sink);
        finished.Envelope = envelope;
        if (forwarded is not null)
        {
            context.Response.OnStarting(NameHandlerInHeaders, (context.Response, envelope));
        }

        if (!finished.TryMarkDispatched())
        {
            // Shutdown cut the request off (end of mercy) after its body arrived but before any worker saw it.
            var cutOff = new RequestResult(RequestOutcome.ShutdownAborted, new OperationCanceledException(CutOffMessage));
            envelope.TryComplete(cutOff);
            envelope.MarkHandlerExited();
            await AnswerAsync(context, envelope, cutOff, finished, forwarded, forwardedSink);
            return;
        }

        GatewayLog.RequestDispatched(_gatewayLog, finished.Method, finished.Path, route.Name);
        RequestResult result;
        CancellationTokenRegistration disconnect = requestAborted.Register(_onClientDisconnected, finished);
        RequestDeadlines? deadlines = DeadlinesFor(TimeoutFor(route, forwarded));
        deadlines?.Add(finished);
        try
        {
            if (forwarded is null)
            {
                _runtime.Dispatch(envelope);
            }
            else if (!forwarded.TryDispatch(envelope))
            {
                // Not ours (any more): nothing ran, so the sender may safely ask the real owner.
                envelope.TryComplete(new RequestResult(RequestOutcome.Rejected));
                envelope.MarkHandlerExited();
                context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                context.Response.Headers[ForwardHeaders.Node] = forwarded.NodeId;
                CloseConnectionWhenShuttingDown(context.Response);
                finished.Status = StatusCodes.Status421MisdirectedRequest;
                finished.SetOutcome(RequestOutcome.Rejected);
                return;
            }

            // A handler that finished inside Dispatch has left its result: no task to make and await.
            result = envelope.TryGetResult(out RequestResult? decided) ? decided : await envelope.Completion;
        }
        finally
        {
            // From here on the gateway owns the connection: its own abort must not look like the client leaving.
            await disconnect.DisposeAsync();
            if (deadlines is not null)
            {
                await deadlines.RemoveAsync(finished);
            }
        }

        // Disposing the registration waited for a disconnect callback already running, so its mark is visible here.
        finished.ClientLeft |= envelope.ClientLeft;
        await AnswerAsync(context, envelope, result, finished, forwarded, forwardedSink);
        if (result.Outcome == RequestOutcome.Timeout)
        {
            WatchForStuckHandler(envelope, route, finished);
        }

        DisposeWhenHandlerExits(envelope);
    }

    /// <summary>
    /// Whether a failed body read was the gateway's doing: shutdown cut the request off at the end of mercy (it
    /// cancelled the read), or the server's stop aborted the connection in stop-workers.
    /// </summary>
    private bool CutOffByShutdown(FinishedRequest finished, Exception ex, CancellationToken requestAborted) =>
        finished.IsCutOffBeforeDispatch
        || (_shutdown.Phase >= ShutdownPhase.StopWorkers && ClientLeftDuringBodyRead(ex, requestAborted));

    /// <summary>Answers a request shutdown cut off while its body was arriving: 503 if the connection still takes it.</summary>
    private async Task AnswerCutOffAsync(HttpContext context, FinishedRequest finished, Exception cause)
    {
        finished.Error = cause;
        finished.SetOutcome(RequestOutcome.ShutdownAborted);
        finished.Status = StatusCodes.Status503ServiceUnavailable;
        if (context.Response.HasStarted)
        {
            return;
        }

        // The rest of the body is never read: the connection cannot carry another request.
        context.Response.Headers.Connection = "close";
        finished.Bytes = await ProblemResponse.WriteAsync(context, finished.Status, RequestOutcome.ShutdownAborted,
            CutOffMessage, null, development: false, _options.RetryAfter);
    }

    /// <summary>
    /// Whether a failed body read means the client went away: a reset or a cancelled read, or a connection closed
    /// before the declared length arrived. Kestrel cancels <c>RequestAborted</c> on a pool thread, so the token is
    /// often not yet cancelled when the read fails, and cannot decide it alone. Any other bad request (413, 408, bad
    /// chunk framing) is the client's error, answered 4xx.
    /// </summary>
    private static bool ClientLeftDuringBodyRead(Exception ex, CancellationToken requestAborted) => ex switch
    {
        BadHttpRequestException bad => requestAborted.IsCancellationRequested || IsUnexpectedEndOfBody(bad),
        OperationCanceledException or IOException => true,
        _ => false,
    };

    // Kestrel's only signal for a body cut short by the client closing its side is this message (the reason code is
    // internal); a test pins it (ClientLeavingMidBodyTests), so a change in a Kestrel update shows at once.
    private static bool IsUnexpectedEndOfBody(BadHttpRequestException ex) =>
        ex.StatusCode == StatusCodes.Status400BadRequest && ex.Message.StartsWith("Unexpected end of request content", StringComparison.Ordinal);

    /// <summary>
    /// A forwarded response names the owner's worker and incarnation in its headers as well as in its trailers, so
    /// that the sender can name them even when the trailers never come (the client left a stream, this node died).
    /// </summary>
    private static Task NameHandlerInHeaders(object state)
    {
        (HttpResponse response, RequestEnvelope envelope) = ((HttpResponse, RequestEnvelope))state;
        if (envelope.Handler is { } handler)
        {
            response.Headers[ForwardHeaders.Worker] = ForwardHeaders.Encode(handler.Path);
            response.Headers[ForwardHeaders.Incarnation] = handler.Incarnation.ToString(CultureInfo.InvariantCulture);
        }

        return Task.CompletedTask;
    }

    private WorkerRequest BuildRequest(HttpContext context, RouteOptions route, ReadOnlyMemory<byte> body, ForwardedRequest? forwarded)
    {
        HttpRequest http = context.Request;
        IReadOnlyDictionary<string, string?> routeValues = ReadOnlyDictionary<string, string?>.Empty;
        if (forwarded is not null)
        {
            var values = new RequestValueSnapshot<string?>(forwarded.RouteValues.Count);
            foreach ((string key, string? value) in forwarded.RouteValues)
            {
                values.Set(key, value);
            }

            routeValues = values;
        }
        else if (http.RouteValues.Count > 0)
        {
            var values = new RequestValueSnapshot<string?>(http.RouteValues.Count);
            foreach ((string key, object? value) in http.RouteValues)
            {
                string? text = Convert.ToString(value, CultureInfo.InvariantCulture);
                if (text is not null && text.Contains('%', StringComparison.Ordinal))
                {
                    // Possibly an encoded slash Kestrel left encoded: decode it from the raw target (RawRouteValues).
                    text = _rawRouteValues.GetOrAdd(route.Path, static template => RawRouteValues.For(template))
                        .Decode(key, text, context.Features.Get<IHttpRequestFeature>()?.RawTarget);
                }

                values.Set(key, text);
            }

            routeValues = values;
        }

        // Without a query string, http.Query would build a query feature and collection just to find it empty.
        IReadOnlyDictionary<string, StringValues> query = ReadOnlyDictionary<string, StringValues>.Empty;
        if (http.QueryString.HasValue)
        {
            var values = new RequestValueSnapshot<StringValues>(http.Query.Count);
            foreach ((string key, StringValues value) in http.Query)
            {
                values.Set(key, value);
            }

            query = values;
        }

        var headers = new RequestValueSnapshot<StringValues>(http.Headers.Count);
        foreach ((string key, StringValues values) in http.Headers)
        {
            // The node-to-node headers are the protocol's, not the client's.
            if (forwarded is null || !key.StartsWith("ActorHost-", StringComparison.OrdinalIgnoreCase))
            {
                headers.Set(key, values);
            }
        }

        return new WorkerRequest
        {
            RequestId = forwarded?.RequestId ?? context.TraceIdentifier,
            Route = route.Name,
            Method = UpperCaseMethod(http.Method),
            Path = http.Path.Value ?? "/",
            RouteValues = routeValues,
            Query = query,
            Headers = headers,
            ContentType = http.ContentType,
            ContentLength = http.ContentLength,
            BufferedBody = body,
            EntityKey = route.Mode == RouteMode.Entity && routeValues.TryGetValue(route.EntityKey, out string? entityKey) ? entityKey : null,
            ShutdownToken = _shutdownToken,
        };
    }

    // Kestrel hands known methods over as upper-case constants: only another spelling needs a new string.
    private static string UpperCaseMethod(string method) =>
        method.AsSpan().ContainsAnyExceptInRange('A', 'Z') ? method.ToUpperInvariant() : method;

    private void OnClientDisconnected(FinishedRequest finished)
    {
        finished.ClientLeft = true;
        RouteOptions route = finished.Options;
        RequestEnvelope envelope = finished.Envelope!;
        if (route.HandlerMode == HandlerMode.CancelOnDisconnect)
        {
            envelope.Cancel(RequestOutcome.ClientAborted);
        }
        else
        {
            envelope.ClientLeft = true;
        }

        GatewayLog.ClientDisconnected(_gatewayLog, finished.Method, finished.Path, route.HandlerMode == HandlerMode.CancelOnDisconnect ? "cancel-on-disconnect" : "detached");
    }

    /// <summary>
    /// The request's timeout: the route's, or for a forwarded request whose sender waits less, a little less than the
    /// sender's remaining wait, so that this owner times out first and its verdict (504 timeout, the worker named)
    /// says how the request ended, not the sender resetting the stream as a client leaving would. Rounded down to
    /// steps so that the timeout lists stay few.
    /// </summary>
    private static TimeSpan TimeoutFor(RouteOptions route, ForwardedRequest? forwarded)
    {
        if (forwarded?.Deadline is not { } left)
        {
            return route.Timeout;
        }

        long steps = Math.Max(1, (left - ForwardedTimeoutMargin).Ticks / ForwardedTimeoutStep.Ticks);
        TimeSpan owner = TimeSpan.FromTicks(steps * ForwardedTimeoutStep.Ticks);
        return route.Timeout == Timeout.InfiniteTimeSpan || owner < route.Timeout ? owner : route.Timeout;
    }

    /// <summary>The timeout list of every request that waits <paramref name="timeout"/>; null for no timeout.</summary>
    private RequestDeadlines? DeadlinesFor(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan
            ? null
            : _deadlines.GetOrAdd(timeout, static (timeout, time) => new RequestDeadlines(timeout, OnTimeout, time), _time);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (RequestDeadlines deadlines in _deadlines.Values)
        {
            deadlines.Dispose();
        }
    }

    private static void OnTimeout(FinishedRequest finished)
    {
        // The cause is recorded before the token fires, so a handler's OperationCanceledException maps to
        // timeout; completing here answers the client now even if the handler ignores its token.
        RequestEnvelope envelope = finished.Envelope!;
        envelope.Cancel(RequestOutcome.Timeout);
        envelope.TryComplete(new RequestResult(RequestOutcome.Timeout, new TimeoutException(
            string.Create(CultureInfo.InvariantCulture, $"The request exceeded the route timeout of {finished.Options.Timeout}."))));
    }

    /// <summary>Answers from the channel's state: the gateway only speaks when nothing was sent yet.</summary>
    private async Task AnswerAsync(HttpContext context, RequestEnvelope envelope, RequestResult result, FinishedRequest finished, ForwardedRequest? forwarded, ForwardedResponseSink? forwardedSink)
    {
        await AnswerLocallyAsync(context, envelope, result, finished, forwarded);
        if (forwarded is null || forwardedSink is null || finished.VerdictSent)
        {
            return;
        }

        // A response cut off while it was still held: the sender gets what the handler wrote, then the trailers.
        bool sent = await TrySendHeldAsync(forwardedSink);

        // The channel counted what the sink accepted; bytes still held never left this node.
        finished.Bytes -= forwardedSink.UnsentBytes;
        if (sent && context.Response.HasStarted)
        {
            await EndForwardedStreamAsync(context, finished, forwarded);
        }
    }

    private static async Task<bool> TrySendHeldAsync(ForwardedResponseSink sink)
    {
        try
        {
            await sink.SendHeldAsync();
            return true;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The sender went away; it tells its own client's story.
            return false;
        }
    }

    private async Task AnswerLocallyAsync(HttpContext context, RequestEnvelope envelope, RequestResult result, FinishedRequest finished, ForwardedRequest? forwarded)
    {
        ResponseChannel channel = envelope.Response;
        RequestOutcome outcome = result.Outcome;
        finished.Error = result.Error;
        if (envelope.Handler is { } handler)
        {
            finished.WorkerPath = handler.Path;
            finished.Incarnation = handler.Incarnation;
        }

        switch (outcome)
        {
            case RequestOutcome.Ok:
                await channel.CompleteAsync();
                if (channel.PeerClosedBy is not null && !finished.ClientLeft)
                {
                    outcome = RequestOutcome.PeerClosed;
                    finished.Error = channel.PeerClosedBy;
                }
                else if (channel.StatusSent is >= 400 and < 500)
                {
                    outcome = RequestOutcome.ClientError;
                }

                break;

            case RequestOutcome.ClientError when channel.TrySeal():
                int status = result.Error is ClientInputException rejection ? rejection.StatusCode : StatusCodes.Status400BadRequest;
                finished.Status = status;
                finished.SetOutcome(outcome);
                if (forwarded is not null)
                {
                    WriteVerdict(context, status, outcome.ToWord(), result.Error, forwarded, finished);
                    return;
                }

                CloseConnectionWhenShuttingDown(context.Response);
                finished.Bytes = await ProblemResponse.WriteAsync(context, status, outcome, result.Error?.Message, null, development: false, retryAfter: null);
                return;

            case RequestOutcome.PeerClosed:
                finished.Aborted = channel.Abort();
                break;

            default:
                if (channel.TrySeal())
                {
                    // Nothing went out: the gateway answers with the outcome's own status.
                    outcome = outcome == RequestOutcome.FailedAfterStart ? RequestOutcome.HandlerFailed : outcome;
                    int gatewayStatus = outcome.GatewayStatus() ?? StatusCodes.Status500InternalServerError;
                    finished.Status = gatewayStatus;
                    if (forwarded is not null)
                    {
                        finished.SetOutcome(outcome);
                        WriteVerdict(context, gatewayStatus, outcome.ToWord(), result.Error, forwarded, finished);
                        return;
                    }

                    CloseConnectionWhenShuttingDown(context.Response);
                    // A pool with no worker left will not serve later either: say so, not only that a worker stopped.
                    string? detail = result.Error is NoLiveWorkersException noWorkers ? noWorkers.Message : null;
                    finished.Bytes = await ProblemResponse.WriteAsync(context, gatewayStatus, outcome, detail, result.Error,
                        _options.Development && outcome == RequestOutcome.HandlerFailed,
                        gatewayStatus == StatusCodes.Status503ServiceUnavailable ? _options.RetryAfter : null);
                    finished.SetOutcome(outcome);
                    return;
                }

                // The handler's status is on the wire: never fake another one; cut the response off
                // (unless it already ended cleanly, in which case the client has all of it).
                if (outcome == RequestOutcome.HandlerFailed)
                {
                    outcome = RequestOutcome.FailedAfterStart;
                }

                finished.Aborted = channel.State != ResponseState.Completed && channel.Abort();
                break;
        }

        finished.SetOutcome(outcome);
        finished.Status = channel.StatusSent;
        finished.Bytes = channel.BytesWritten;
    }

    private async Task AnswerBeforeDispatchAsync(HttpContext context, FinishedRequest finished, int status, string detail, Exception? error, ForwardedRequest? forwarded)
    {
        finished.SetOutcome(RequestOutcome.ClientError);
        finished.Status = status;
        finished.Error = error;
        if (forwarded is not null)
        {
            WriteVerdict(context, status, RequestOutcome.ClientError.ToWord(), new ClientInputException(status, detail), forwarded, finished);
            return;
        }

        CloseConnectionWhenShuttingDown(context.Response);
        finished.Bytes = await ProblemResponse.WriteAsync(context, status, RequestOutcome.ClientError, detail, null, development: false, retryAfter: null);
    }

    /// <summary>
    /// A forwarded request this node would answer itself (nothing of the handler's response went out): the
    /// status and the outcome go back in headers with no body, and the sender writes the client's answer
    /// exactly as if the worker had run there.
    /// </summary>
    private void WriteVerdict(HttpContext context, int status, string outcome, Exception? error, ForwardedRequest forwarded, FinishedRequest finished)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        CloseConnectionWhenShuttingDown(response);
        IHeaderDictionary headers = response.Headers;
        headers[ForwardHeaders.Outcome] = outcome;
        headers[ForwardHeaders.Node] = forwarded.NodeId;
        if (finished.WorkerPath is not null && finished.Incarnation is int incarnation)
        {
            headers[ForwardHeaders.Worker] = ForwardHeaders.Encode(finished.WorkerPath);
            headers[ForwardHeaders.Incarnation] = incarnation.ToString(CultureInfo.InvariantCulture);
        }

        if (error is not null)
        {
            headers[ForwardHeaders.ErrorType] = ForwardHeaders.Encode(error.GetType().FullName ?? error.GetType().Name);
            headers[ForwardHeaders.ErrorMessage] = ForwardHeaders.Encode(Truncate(error.Message, 1024));
        }

        finished.VerdictSent = true;
        finished.Bytes = 0;
    }

    /// <summary>Ends a forwarded response that started: the owner's outcome, worker and incarnation go in the trailers.</summary>
    private static async Task EndForwardedStreamAsync(HttpContext context, FinishedRequest finished, ForwardedRequest forwarded)
    {
        HttpResponse response = context.Response;
        if (!response.SupportsTrailers() || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        try
        {
            response.AppendTrailer(ForwardHeaders.Outcome, finished.Outcome);
            response.AppendTrailer(ForwardHeaders.Node, forwarded.NodeId);
            if (finished.WorkerPath is not null && finished.Incarnation is int incarnation)
            {
                response.AppendTrailer(ForwardHeaders.Worker, ForwardHeaders.Encode(finished.WorkerPath));
                response.AppendTrailer(ForwardHeaders.Incarnation, incarnation.ToString(CultureInfo.InvariantCulture));
            }

            if (finished.Error is { } error && finished.OutcomeValue is not (RequestOutcome.Ok or RequestOutcome.ClientError))
            {
                response.AppendTrailer(ForwardHeaders.ErrorType, ForwardHeaders.Encode(error.GetType().FullName ?? error.GetType().Name));
                response.AppendTrailer(ForwardHeaders.ErrorMessage, ForwardHeaders.Encode(Truncate(error.Message, 1024)));
            }

            await response.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The sender went away; it tells its own client's story.
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private async Task AnswerGatewayFaultAsync(HttpContext context, RequestEnvelope? envelope, FinishedRequest finished)
    {
        try
        {
            bool canAnswer = envelope is null ? !context.Response.HasStarted : envelope.Response.TrySeal();
            if (canAnswer && !context.Response.HasStarted)
            {
                finished.Status = StatusCodes.Status500InternalServerError;
                CloseConnectionWhenShuttingDown(context.Response);
                finished.Bytes = await ProblemResponse.WriteAsync(context, finished.Status, ProblemResponse.GatewayFaultWord,
                    "The gateway failed while serving the request.", null, finished.Error, _options.Development, null);
            }
            else
            {
                finished.Status = envelope?.Response.StatusSent ?? context.Response.StatusCode;
                finished.Bytes = envelope?.Response.BytesWritten ?? 0;
                finished.Aborted = true;
                envelope?.Response.Abort();
                context.Abort();
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The connection is beyond saving; the Critical line already tells the story.
            finished.Aborted = true;
            context.Abort();
        }
    }

    private async Task CloseSinkAsync(HttpResponseSink sink)
    {
        try
        {
            await sink.CloseAsync().WaitAsync(SinkDrainBound, _time);
        }
        catch (TimeoutException)
        {
            // A handler call is still inside Kestrel after the response was finished and cut off; Kestrel
            // fails such calls once the connection is aborted, so this only guards against a hang.
        }
    }

    private void WatchForStuckHandler(RequestEnvelope envelope, RouteOptions route, FinishedRequest finished)
    {
        if (envelope.HandlerExited.IsCompleted || envelope.Handler is null)
        {
            return;
        }

        _ = WatchAsync();

        async Task WatchAsync()
        {
            try
            {
                await envelope.HandlerExited.WaitAsync(route.StuckAfter, _time);
            }
            catch (TimeoutException)
            {
                GatewayLog.HandlerStuck(_gatewayLog, finished.Method, finished.Path, finished.WorkerPath, finished.Incarnation, route.StuckAfter);
                _metrics.HandlerStuck(route.Name);
                _runtime.ReportStuck(envelope);
            }
        }
    }

    private static void DisposeWhenHandlerExits(RequestEnvelope envelope)
    {
        // The handler may still hold the envelope's token after the response is finished (detached
        // handlers, timeouts); dispose only once it has left. A request no handler picked up never
        // registers on the token, so leaving it to the collector costs nothing. Usually the handler has already
        // left by the time its answer is written: then no continuation is needed.
        if (envelope.HandlerExited.IsCompleted)
        {
            envelope.Dispose();
            return;
        }

        _ = envelope.HandlerExited.ContinueWith(static (_, state) => ((RequestEnvelope)state!).Dispose(), envelope,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Finish(FinishedRequest finished, TimeSpan duration, Activity? activity)
    {
        LogLevel level;
        Exception? logged = null;
        if (finished.OutcomeValue is RequestOutcome.GatewayFault)
        {
            // Reported by the runtime as the request's result (cluster forwarding): as loud as a fault thrown here, with
            // its exception on the Critical GatewayFault line.
            level = LogLevel.Critical;
            GatewayLog.GatewayFault(_gatewayLog, finished.Error, finished.Method, finished.Path, finished.Route);
        }
        else if (finished.OutcomeValue is RequestOutcome outcome)
        {
            level = RequestOutcomeLevels.LevelOf(outcome);
            if (RequestOutcomeLevels.LogsException(outcome))
            {
                logged = finished.Error;
                if (logged is not null && _stackTraceRepeats is not null && finished.Envelope is { } envelope && _requestLog.IsEnabled(level))
                {
                    logged = _stackTraceRepeats.ForLine(finished.Route, envelope.Request.RequestId, logged);
                }
            }
        }
        else
        {
            // A gateway fault: its exception is on the Critical GatewayFault line already.
            level = LogLevel.Critical;
        }

        // Counted before the line is written: whoever has seen the request-finished line finds it in the metrics.
        _metrics.RequestFinished(finished.Route, finished.Outcome, finished.Status, finished.Forwarded, duration);
        double durationMs = Math.Round(duration.TotalMilliseconds, 3);
        string? errorType = finished.Error?.GetType().FullName;
        RequestLog.RequestFinished(_requestLog, level, logged, finished.Method, finished.Path, finished.Status, finished.Outcome,
            durationMs, finished.Bytes, finished.Route, finished.WorkerPath, finished.Incarnation, errorType, finished.ClientLeft, finished.Aborted);

        if (activity is not null)
        {
            activity.SetTag("actorhost.worker.path", finished.WorkerPath);
            activity.SetTag("actorhost.worker.incarnation", finished.Incarnation);

            // Every 5xx is a failure (OpenTelemetry's HTTP server convention), whatever outcome it comes from, and so
            // is a response cut off after its status went out.
            bool failed = finished.OutcomeValue is null or RequestOutcome.GatewayFault or RequestOutcome.HandlerFailed
                or RequestOutcome.FailedAfterStart or RequestOutcome.Timeout || finished.Status >= 500;
            GatewayTracing.EndRequest(activity, finished.Outcome, finished.Status, finished.ClientLeft, errorType, failed);
        }
    }

    // Once shutdown stops accepting, no response keeps its connection alive: the client reconnects elsewhere. Called
    // wherever the gateway starts a response itself (the sink does the same for a handler's); a per-request
    // OnStarting callback would do it in one place, but costs every request an allocation and a callback.
    private void CloseConnectionWhenShuttingDown(HttpResponse response)
    {
        if (_shutdown.RefusesRequests && !response.HasStarted)
        {
            response.Headers.Connection = "close";
        }
    }
}
