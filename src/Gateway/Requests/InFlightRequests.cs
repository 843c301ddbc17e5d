using ActorHost.Workers;

namespace ActorHost.Gateway.Requests;

/// <summary>
/// The requests the gateway is serving right now. The root-escalation path uses it to let a request whose
/// result is already decided get its answer out before the process exits; shutdown (drain, grace, mercy)
/// is meant to build on the same list.
/// </summary>
internal sealed class InFlightRequests
{
    private readonly SlotRegistry<InFlightRequest> _requests = new();
    private readonly Lock _emptyGate = new();
    private TaskCompletionSource? _empty;

    /// <summary>Requests being served.</summary>
    public int Count => _requests.Count;

    /// <summary>A snapshot of the requests being served.</summary>
    public IReadOnlyCollection<InFlightRequest> Snapshot() => _requests.Snapshot();

    /// <summary>
    /// Lists a request from its arrival, before its body is read: a request still receiving its body when shutdown
    /// starts is waited for by grace and named by mercy like any other.
    /// </summary>
    public void Add(InFlightRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Slot = _requests.Add(request);
    }

    /// <summary>Takes a listed request off the list once it has been answered; a request never listed is ignored.</summary>
    public void Remove(InFlightRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Slot < 0)
        {
            return;
        }

        int leftInStripe = _requests.Remove(request.Slot, request);
        request.MarkAnswered();

        // Only when someone waits for the end (shutdown) is the whole registry counted. The registry's locks order this
        // with WhenEmptyAsync's publication and count: of the two, whichever reads second sees the other's write.
        if (leftInStripe == 0 && Volatile.Read(ref _empty) is { } empty && _requests.Count == 0)
        {
            empty.TrySetResult();
        }
    }

    /// <summary>
    /// Completes once no request is being served (shutdown's grace and mercy wait on it). A request added
    /// after it completed is not waited for (by then shutdown refuses new requests); calling it again waits anew.
    /// </summary>
    public Task WhenEmptyAsync()
    {
        if (_requests.Count == 0)
        {
            return Task.CompletedTask;
        }

        TaskCompletionSource empty;
        lock (_emptyGate)
        {
            empty = _empty is { Task.IsCompleted: false } current ? current : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _empty, empty);
        }

        // A request removed between the check above and the publication would not have seen this one.
        if (_requests.Count == 0)
        {
            empty.TrySetResult();
        }

        return empty.Task;
    }

    /// <summary>
    /// Waits (at most <paramref name="bound"/>) until every request whose result is already decided has
    /// been answered. Requests still undecided are not waited for.
    /// </summary>
    public async Task WaitForDecidedAsync(TimeSpan bound, TimeProvider timeProvider)
    {
        Task[] answering = _requests.Snapshot().Where(r => r.Envelope?.IsCompleted == true).Select(r => r.Answered).ToArray();
        try
        {
            await Task.WhenAll(answering).WaitAsync(bound, timeProvider);
        }
        catch (TimeoutException)
        {
            // Bounded on purpose: a process that must exit does not wait on a stuck socket.
        }
    }
}

/// <summary>
/// One request being served, as the in-flight list holds it. The request path's own record of a request
/// (<see cref="FinishedRequest"/>) derives from it, so that being listed costs a request no object of its own.
/// </summary>
internal class InFlightRequest
{
    private const int Receiving = 0;
    private const int Dispatched = 1;
    private const int CutOff = 2;

    // Made only if shutdown or the escalation exit waits for this request before it is answered (rare).
    private TaskCompletionSource? _answered;

    // Receiving until the request path dispatches it, or shutdown cuts it off first: exactly one of the two wins.
    private int _stage;

    /// <summary>Its slot in the registry (see <see cref="SlotRegistry{T}"/>) once listed; -1 before.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>The envelope, once the request path has made it (null while the body is still arriving).</summary>
    public RequestEnvelope? Envelope { get; set; }

    /// <summary>The request's method, for the shutdown's cut-off line.</summary>
    public virtual string Method => Envelope?.Request.Method ?? "";

    /// <summary>The request's path, for the shutdown's cut-off line.</summary>
    public virtual string Path => Envelope?.Request.Path ?? "";

    /// <summary>The request's route, for the shutdown's cut-off line.</summary>
    public virtual string Route => Envelope?.Request.Route ?? "";

    /// <summary>True once shutdown has cut the request off before it was dispatched.</summary>
    public bool IsCutOffBeforeDispatch => Volatile.Read(ref _stage) == CutOff;

    /// <summary>
    /// Called by the request path just before it dispatches the request (its <see cref="Envelope"/> already set);
    /// false when shutdown has cut it off first, and then nothing may run.
    /// </summary>
    public bool TryMarkDispatched() => Interlocked.CompareExchange(ref _stage, Dispatched, Receiving) == Receiving;

    /// <summary>
    /// Called by shutdown at the end of mercy: cuts off a request not dispatched yet (its body still arriving) and
    /// stops its body read. False when it has been dispatched: then its <see cref="Envelope"/> is set, and shutdown
    /// decides its result through it.
    /// </summary>
    public bool TryCutOffBeforeDispatch()
    {
        if (Interlocked.CompareExchange(ref _stage, CutOff, Receiving) != Receiving)
        {
            return false;
        }

        StopReceiving();
        return true;
    }

    /// <summary>Ends a body read in progress, so that the request path answers the cut-off at once.</summary>
    protected virtual void StopReceiving()
    {
    }

    /// <summary>Completes when the gateway has finished the response (answered, completed or cut off).</summary>
    public Task Answered => LazySignal.WhenFired(ref _answered);

    internal void MarkAnswered() => LazySignal.Fire(ref _answered);
}
