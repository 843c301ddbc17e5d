using ActorHost.Actors;
using ActorHost.Gateway.Management.Events;
using ActorHost.Workers;
using ActorHost.Workers.Options;
using ActorHost.Workers.Runtime;
using RouteOptions = ActorHost.Workers.Options.RouteOptions;

namespace ActorHost.Gateway.Management.Workers;

/// <summary>
/// Builds <c>GET /workers</c>: per route its options and effective supervision strategy (with the HOCON origin),
/// totals over all its workers, and one page of workers. Live workers come from the kernel's introspection
/// (<see cref="ActorSystem.GetChildren"/> and <see cref="ActorSystem.Inspect"/>: state, restarts, failures,
/// processed, mailbox depth, last failure); what only the supervision events know (worker-level incarnation,
/// passivated vs stopped) comes from the <see cref="WorkerLedger"/>. Cost per call is one snapshot per worker of
/// the requested routes (cheap: a few counters each), and the JSON holds only the page. Live workers are
/// listed most recently failed first, then by name; then the recently ended ones, newest first.
/// </summary>
internal sealed class WorkerTreeReader(IWorkerRuntime runtime, WorkerLedger ledger, EventRing ring, WorkerRuntimeOptions? options)
{
    public object Read(WorkerTreeQuery query)
    {
        long lastEventId = ring.LastId;
        var routes = new List<object>();
        foreach (RouteOptions route in runtime.Routes.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            if (query.Route is not null && !string.Equals(query.Route, route.Name, StringComparison.Ordinal))
            {
                continue;
            }

            routes.Add(ReadRoute(route, query));
        }

        return new { lastEventId, routes };
    }

    public object Strategies() => runtime.Routes.Values
        .OrderBy(r => r.Name, StringComparer.Ordinal)
        .Select(r => new { route = r.Name, strategy = Strategy(r.Supervision) })
        .ToList();

    private object ReadRoute(RouteOptions route, WorkerTreeQuery query)
    {
        bool entity = route.Mode == RouteMode.Entity;
        List<WorkerView> all = [.. LiveWorkers(route, entity), .. EndedWorkers(route, entity)];
        var totals = new
        {
            workers = all.Count,
            running = all.Count(w => w.State == "running"),
            restarting = all.Count(w => w.State == "restarting"),
            stopped = all.Count(w => w.State == "stopped"),
            passivated = all.Count(w => w.State == "passivated"),
            restarts = all.Sum(w => (long)w.Restarts),
            failures = all.Sum(w => (long)w.Failures),
            processed = all.Sum(w => w.Processed),
            mailboxDepth = all.Sum(w => (long)w.MailboxDepth),
        };

        IEnumerable<WorkerView> matching = query.Filter is { } filter
            ? all.Where(w => w.Name.Contains(filter, StringComparison.OrdinalIgnoreCase) || (w.EntityKey?.Contains(filter, StringComparison.OrdinalIgnoreCase) ?? false))
            : all;
        List<WorkerView> filtered = [.. matching];
        return new
        {
            name = route.Name,
            template = route.Path,
            methods = route.Methods,
            worker = route.Worker,
            mode = ConfigWords.ToWord(route.Mode),
            router = entity ? null : ConfigWords.ToWord(route.Router),
            instances = entity ? (int?)null : route.Instances,
            entityKey = entity ? route.EntityKey : null,
            passivateAfter = entity ? route.PassivateAfter.ToString() : null,
            timeout = route.Timeout == Timeout.InfiniteTimeSpan ? "infinite" : route.Timeout.ToString(),
            handlerMode = ConfigWords.ToWord(route.HandlerMode),
            strategy = Strategy(route.Supervision),
            totals,
            page = new
            {
                offset = query.Offset,
                limit = query.Limit,
                total = filtered.Count,
                workers = filtered.Skip(query.Offset).Take(query.Limit).ToList(),
            },
        };
    }

    private List<WorkerView> LiveWorkers(RouteOptions route, bool entity)
    {
        if (runtime is not WorkerRuntime { System: { IsTerminating: false } system }
            || system.Resolve(ActorPath.Root.Child("user").Child("routes").Child(route.Name)) is not { } supervisor)
        {
            return [];
        }

        var views = new List<WorkerView>();
        foreach (IActorRef child in system.GetChildren(supervisor))
        {
            if (system.Inspect(child) is not { } snapshot)
            {
                continue;
            }

            string path = snapshot.Path.ToString();
            WorkerFacts? facts = ledger.Get(path);
            FailureSnapshot? failure = snapshot.LastFailure;
            views.Add(new WorkerView
            {
                Path = path,
                Name = snapshot.Path.Name,
                Mode = entity ? "entity" : "pool",
                EntityKey = entity ? Uri.UnescapeDataString(snapshot.Path.Name) : null,
                Incarnation = Math.Max(facts?.Incarnation ?? 0, snapshot.Incarnation),
                State = StateWord(snapshot.State),
                // The ledger counts across an entity's re-creations; the kernel per actor instance. Show the larger.
                Restarts = Math.Max(snapshot.RestartCount, facts?.Restarts ?? 0),
                Failures = Math.Max(snapshot.FailureCount, facts?.Failures ?? 0),
                Processed = snapshot.ProcessedCount,
                MailboxDepth = snapshot.MailboxDepth,
                LastFailure = facts?.LastFailure ?? (failure is null ? null
                    : new FailureFacts(failure.ExceptionType, failure.Message, failure.Time, failure.Directive.ToString().ToLowerInvariant())),
            });
        }

        // What an operator looks for comes first: the most recently failed workers, then the rest by name
        // (shorter names first, so worker-2 comes before worker-10).
        views.Sort(static (a, b) =>
        {
            DateTimeOffset aFailed = a.LastFailure?.Time ?? DateTimeOffset.MinValue, bFailed = b.LastFailure?.Time ?? DateTimeOffset.MinValue;
            if (aFailed != bFailed)
            {
                return bFailed.CompareTo(aFailed);
            }

            return a.Name.Length != b.Name.Length ? a.Name.Length.CompareTo(b.Name.Length) : string.CompareOrdinal(a.Name, b.Name);
        });
        return views;
    }

    private IEnumerable<WorkerView> EndedWorkers(RouteOptions route, bool entity)
    {
        IReadOnlyList<WorkerFacts> ended = ledger.Ended(route.Name);
        for (int i = ended.Count - 1; i >= 0; i--)
        {
            WorkerFacts facts = ended[i];
            string name = facts.Path[(facts.Path.LastIndexOf('/') + 1)..];
            yield return new WorkerView
            {
                Path = facts.Path,
                Name = name,
                Mode = entity ? "entity" : "pool",
                EntityKey = entity ? Uri.UnescapeDataString(name) : null,
                Incarnation = facts.Incarnation,
                State = facts.Ended ?? "stopped",
                Restarts = facts.Restarts,
                Failures = facts.Failures,
                LastFailure = facts.LastFailure,
            };
        }
    }

    private object Strategy(string name)
    {
        if (options?.Strategies.TryGetValue(name, out SupervisionStrategyOptions? strategy) != true || strategy is null)
        {
            return new { name };
        }

        return new
        {
            name,
            type = ConfigWords.ToWord(strategy.Type),
            maxNrOfRetries = strategy.MaxNrOfRetries,
            withinTimeRange = strategy.WithinTimeRange == Timeout.InfiniteTimeSpan ? "infinite" : strategy.WithinTimeRange.ToString(),
            decider = strategy.Decider.Select(d => new { exception = d.Exception, directive = ConfigWords.Of(d.Directive) }),
            origin = strategy.Origin,
        };
    }

    private static string StateWord(ActorState state) => state switch
    {
        ActorState.Suspended or ActorState.Failed or ActorState.Restarting => "restarting",
        ActorState.Stopping or ActorState.Stopped => "stopped",
        _ => "running",
    };
}

/// <summary>One worker in <c>GET /workers</c>.</summary>
internal sealed record WorkerView
{
    public required string Path { get; init; }

    public required string Name { get; init; }

    public required string Mode { get; init; }

    public string? EntityKey { get; init; }

    public int Incarnation { get; init; }

    public required string State { get; init; }

    public int Restarts { get; init; }

    public int Failures { get; init; }

    public long Processed { get; init; }

    public int MailboxDepth { get; init; }

    public FailureFacts? LastFailure { get; init; }
}
