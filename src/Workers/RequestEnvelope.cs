namespace ActorHost.Workers;

/// <summary>
/// One request on its way through the runtime: what the worker may see, the channel that owns the real
/// response, the handler's cancellation, and the single completion that every path races to set.
/// </summary>
/// <remarks>
/// One writer, one outcome: <see cref="TryComplete"/> succeeds once; every later attempt is ignored and
/// the caller learns it lost. Cancellation records its cause before the token fires, so a handler's
/// <see cref="OperationCanceledException"/> can always be mapped to the cause that raised it.
/// </remarks>
public sealed class RequestEnvelope : IDisposable
{
    private readonly CancellationTokenSource _handlerCancellation = new();
    // The result, once decided (set once). The task that waits for it is made only if someone asks for it before
    // then: a handler that finishes inside Dispatch (the usual case) leaves its result here and no task is needed.
    private RequestResult? _result;
    private TaskCompletionSource<RequestResult>? _completion;
    // Made only if someone waits before the handler exits: most requests never need a task of their own for that.
    private TaskCompletionSource? _handlerExited;
    private int _cancellationCause = -1;
    private HandlerIdentity? _handler;

    // The envelope's slot in its runtime's in-flight registry while the runtime holds it; -1 otherwise.
    private int _inFlightSlot = -1;

    /// <summary>Creates an envelope for a request whose response goes to <paramref name="sink"/>.</summary>
    /// <param name="request">The request as the worker sees it.</param>
    /// <param name="sink">The real response.</param>
    public RequestEnvelope(WorkerRequest request, IResponseSink sink)
    {
        ArgumentNullException.ThrowIfNull(request);
        Request = request;
        Response = new ResponseChannel(sink, this);
    }

    /// <summary>The request as the worker sees it.</summary>
    public WorkerRequest Request { get; }

    /// <summary>The fault injector's wrapper around the real response (write faults are armed on it); null when no write rule was installed as the request arrived.</summary>
    internal Faults.FaultingResponseSink? FaultingSink { get; init; }

    /// <summary>The channel that owns the real response.</summary>
    public ResponseChannel Response { get; }

    /// <summary>
    /// The handler's token: fires on timeout, peer reset, shutdown mercy, and on client disconnect in
    /// <c>cancel-on-disconnect</c> mode. <see cref="CancellationCause"/> says which.
    /// </summary>
    public CancellationToken HandlerToken => _handlerCancellation.Token;

    /// <summary>Why <see cref="HandlerToken"/> fired, or null while it has not.</summary>
    public RequestOutcome? CancellationCause
    {
        get
        {
            int cause = Volatile.Read(ref _cancellationCause);
            return cause < 0 ? null : (RequestOutcome)cause;
        }
    }

    /// <summary>The result, once decided.</summary>
    /// <remarks>Where the result may already be decided, <see cref="TryGetResult"/> reads it without making a task.</remarks>
    public Task<RequestResult> Completion
    {
        get
        {
            TaskCompletionSource<RequestResult>? completion = Volatile.Read(ref _completion);
            if (completion is null)
            {
                var made = new TaskCompletionSource<RequestResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                completion = Interlocked.CompareExchange(ref _completion, made, null) ?? made;
            }

            // Published (a full fence) before the result is read; TryComplete publishes the result before it reads
            // this field: whichever of the two comes second sees the other and completes the task.
            if (Volatile.Read(ref _result) is { } result)
            {
                completion.TrySetResult(result);
            }

            return completion.Task;
        }
    }

    /// <summary>True once a result was decided.</summary>
    public bool IsCompleted => Volatile.Read(ref _result) is not null;

    /// <summary>Reads the result if it is decided.</summary>
    /// <param name="result">The result, or null while undecided.</param>
    /// <returns>True when a result was decided.</returns>
    public bool TryGetResult([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RequestResult? result)
    {
        result = Volatile.Read(ref _result);
        return result is not null;
    }

    /// <summary>
    /// Completes when the handler returned or threw (whatever the result). The host waits on it after a
    /// timeout to tell a cooperative handler from a stuck one.
    /// </summary>
    public Task HandlerExited => LazySignal.WhenFired(ref _handlerExited);

    /// <summary>Called by the worker when the handler returned or threw.</summary>
    public void MarkHandlerExited() => LazySignal.Fire(ref _handlerExited);

    /// <summary>
    /// The worker serving the request, once one picked it up; for a request refused as
    /// <see cref="RequestOutcome.Overloaded"/>, the worker whose full mailbox refused it.
    /// </summary>
    public HandlerIdentity? Handler
    {
        get => Volatile.Read(ref _handler);
        set => Volatile.Write(ref _handler, value);
    }

    /// <summary>The runtime's in-flight registry slot (-1 when not tracked); see the runtime's services.</summary>
    internal ref int InFlightSlot => ref _inFlightSlot;

    /// <summary>Set when the client disconnected while the handler ran on in <c>detached</c> mode.</summary>
    public bool ClientLeft { get; set; }

    /// <summary>Decides the result. Returns false when another path decided first.</summary>
    /// <param name="result">The result.</param>
    public bool TryComplete(RequestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (Interlocked.CompareExchange(ref _result, result, null) is not null)
        {
            return false;
        }

        Volatile.Read(ref _completion)?.TrySetResult(result);
        return true;
    }

    /// <summary>
    /// Cancels the handler for a cause. The first cause wins and is recorded before the token fires.
    /// </summary>
    /// <param name="cause">Why: <see cref="RequestOutcome.ClientAborted"/>, <see cref="RequestOutcome.Timeout"/>,
    /// <see cref="RequestOutcome.PeerClosed"/> or <see cref="RequestOutcome.ShutdownAborted"/>.</param>
    public void Cancel(RequestOutcome cause)
    {
        Interlocked.CompareExchange(ref _cancellationCause, (int)cause, -1);
        try
        {
            _handlerCancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request already finished and released its resources; nothing is left to cancel.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handlerCancellation.Dispose();
}

/// <summary>The worker instance that served a request: its actor path and incarnation.</summary>
/// <param name="Path">The worker's actor path, e.g. <c>/user/routes/counter/42</c>.</param>
/// <param name="Incarnation">The instance's incarnation number (1 for the first, +1 per restart).</param>
public sealed record HandlerIdentity(string Path, int Incarnation);
