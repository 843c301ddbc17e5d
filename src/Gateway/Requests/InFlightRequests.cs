using System.Collections.Concurrent;
using ActorHost.Workers;

namespace ActorHost.Gateway.Requests;

/// <summary>
/// The requests the gateway is serving right now. The root-escalation path uses it to let a request whose
/// result is already decided get its answer out before the process exits; shutdown (drain, grace, mercy)
/// is meant to build on the same list.
/// </summary>
internal sealed class InFlightRequests
{
    private readonly ConcurrentDictionary<long, InFlightRequest> _requests = new();
    private long _nextId;
    private readonly Lock _emptyGate = new();
    private TaskCompletionSource? _empty;

    /// <summary>Requests being served.</summary>
    public int Count => _requests.Count;

    /// <summary>A snapshot of the requests being served.</summary>
    public IReadOnlyCollection<InFlightRequest> Snapshot() => _requests.Values.ToArray();

    public InFlightRequest Add(RequestEnvelope envelope)
    {
        var request = new InFlightRequest(Interlocked.Increment(ref _nextId), envelope);
        _requests[request.Id] = request;
        return request;
    }

    public void Remove(InFlightRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _requests.TryRemove(request.Id, out _);
        request.MarkAnswered();
        if (_requests.IsEmpty)
        {
            Volatile.Read(ref _empty)?.TrySetResult();
        }
    }

    /// <summary>
    /// Completes once no request is being served (shutdown's grace and mercy wait on it). A request added
    /// after it completed is not waited for (by then shutdown refuses new requests); calling it again waits anew.
    /// </summary>
    public Task WhenEmptyAsync()
    {
        if (_requests.IsEmpty)
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
        if (_requests.IsEmpty)
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
        Task[] answering = _requests.Values.Where(r => r.Envelope.IsCompleted).Select(r => r.Answered).ToArray();
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

/// <summary>One request being served.</summary>
internal sealed class InFlightRequest(long id, RequestEnvelope envelope)
{
    // Made only if shutdown or the escalation exit waits for this request before it is answered (rare).
    private TaskCompletionSource? _answered;

    public long Id { get; } = id;

    public RequestEnvelope Envelope { get; } = envelope;

    /// <summary>Completes when the gateway has finished the response (answered, completed or cut off).</summary>
    public Task Answered => LazySignal.WhenFired(ref _answered);

    internal void MarkAnswered() => LazySignal.Fire(ref _answered);
}
