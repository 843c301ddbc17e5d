using System.Collections.Concurrent;
using ActorHost.Gateway.Management.Events;
using ActorHost.Workers;
using ActorHost.Workers.Events;

namespace ActorHost.Gateway.Management.Workers;

/// <summary>
/// Per-worker facts that only the supervision events carry (worker-level incarnation, the directive of the
/// last failure, passivated vs stopped), kept for live workers that have such facts (a worker on its first
/// incarnation without failures has none: the tree shows the kernel's view) and for the most recently ended ones of each
/// route (bounded, so 10,000 passivating entities do not grow it without end). Fed by
/// <see cref="EventRingFeeder"/>; read by <see cref="WorkerTreeReader"/>.
/// </summary>
internal sealed class WorkerLedger
{
    /// <summary>Ended workers remembered per route.</summary>
    public const int EndedPerRoute = 200;

    private readonly ConcurrentDictionary<string, WorkerFacts> _byPath = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _endedByRoute = new(StringComparer.Ordinal);

    public WorkerFacts? Get(string path) => _byPath.TryGetValue(path, out WorkerFacts? facts) ? facts : null;

    /// <summary>Recently ended workers of <paramref name="route"/>, oldest first.</summary>
    public IReadOnlyList<WorkerFacts> Ended(string route) =>
        _endedByRoute.TryGetValue(route, out ConcurrentQueue<string>? queue)
            ? [.. queue.Select(Get).Where(f => f is { Ended: not null }).Select(f => f!).DistinctBy(f => f.Path)]
            : [];

    /// <summary>Applies one event (called by the single feeder loop, so updates per path never race).</summary>
    public void Apply(WorkerEvent item)
    {
        switch (item)
        {
            case WorkerStarted e when e.Incarnation == 1 && !_byPath.ContainsKey(e.Path):
                // A first start says nothing the kernel's snapshot does not (incarnation 1, no failures): no entry,
                // so 100,000 idle entities cost the ledger nothing.
                break;
            case WorkerStarted e:
                Update(e.Route, e.Path, f => f with { Incarnation = e.Incarnation, Ended = null });
                break;
            case WorkerRestarted e:
                Update(e.Route, e.Path, f => f with { Incarnation = e.Incarnation, Ended = null, Restarts = f.Restarts + 1 });
                break;
            case WorkerFailed e:
                var failure = new FailureFacts(WorkerEventData.TypeName(e.Exception), e.Exception.Message, e.Timestamp, ConfigWords.Of(e.Directive));
                Update(e.Route, e.Path, f => f with { Incarnation = Math.Max(f.Incarnation, e.Incarnation), LastFailure = failure, Failures = f.Failures + 1 });
                break;
            case WorkerStopped e:
                Update(e.Route, e.Path, f => f with { Incarnation = Math.Max(f.Incarnation, e.Incarnation), Ended = e.Reason == WorkerStopReason.Passivated ? "passivated" : "stopped" });
                Remember(e.Route, e.Path);
                break;
        }
    }

    private void Update(string route, string path, Func<WorkerFacts, WorkerFacts> change) =>
        _byPath.AddOrUpdate(path, (_, c) => c(new WorkerFacts { Route = route, Path = path }), (_, old, c) => c(old), change);

    private void Remember(string route, string path)
    {
        ConcurrentQueue<string> queue = _endedByRoute.GetOrAdd(route, _ => new ConcurrentQueue<string>());
        queue.Enqueue(path);
        while (queue.Count > EndedPerRoute && queue.TryDequeue(out string? evicted))
        {
            if (_byPath.TryGetValue(evicted, out WorkerFacts? facts) && facts.Ended is not null && !queue.Contains(evicted))
            {
                _byPath.TryRemove(evicted, out _);
            }
        }
    }
}
