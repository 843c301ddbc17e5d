using System.Collections.Concurrent;
using System.Text;
using ActorHost.Actors.TestKit;
using ActorHost.Workers.Events;
using ActorHost.Workers.Options;
using ActorHost.Workers.Registration;
using ActorHost.Workers.Runtime;
using ActorHost.Workers.Samples;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace ActorHost.Workers.Tests.Support;

/// <summary>
/// A <see cref="WorkerRuntime"/> driven directly with in-memory responses and a manual clock. Every wait
/// has a generous timeout that only guards against a hang (a failure), never a sleep.
/// </summary>
public sealed class Harness : IAsyncDisposable
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    private readonly ServiceProvider _services;
    private readonly EventSubscriptionPump _events;
    private int _requests;

    private Harness(WorkerRuntimeOptions options, Action<WorkerRegistryBuilder>? workers, Action<int>? exit, SampleWorkerOptions? samples, Action<IServiceCollection>? configure, RecordingLogger? log)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Journal);
        services.AddSingleton(Gates);
        services.AddActorHostWorkers(w =>
        {
            w.Add<ProbeWorker>("probe");
            workers?.Invoke(w);
        });
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSampleWorkers(samples);
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
        Runtime = new WorkerRuntime(options, _services, loggerFactory: log, timeProvider: Clock, exitProcess: exit);
        _events = new EventSubscriptionPump(Runtime);
    }

    public ManualTimeProvider Clock { get; } = new();

    public Journal Journal { get; } = new();

    public Gates Gates { get; } = new();

    public WorkerRuntime Runtime { get; }

    public IReadOnlyList<WorkerEvent> Events => _events.All;

    public static RouteOptions Pool(string name, int instances = 1, string strategy = "default", RouterKind router = RouterKind.RoundRobin, string worker = "probe") =>
        new() { Name = name, Path = "/" + name, Worker = worker, Mode = RouteMode.Pool, Instances = instances, Supervision = strategy, Router = router };

    public static RouteOptions Entity(string name, string strategy = "default", TimeSpan? passivateAfter = null, string worker = "probe") =>
        new()
        {
            Name = name, Path = "/" + name + "/{id}", Worker = worker, Mode = RouteMode.Entity, EntityKey = "id",
            Supervision = strategy, PassivateAfter = passivateAfter ?? TimeSpan.FromMinutes(2),
        };

    public static SupervisionStrategyOptions Strategy(string name, params (string Exception, SupervisionDirective Directive)[] rules) =>
        new() { Name = name, Decider = [.. rules.Select(r => new DeciderRule(r.Exception, r.Directive))] };

    public static async Task<Harness> StartAsync(
        IEnumerable<RouteOptions> routes,
        IEnumerable<SupervisionStrategyOptions>? strategies = null,
        string routeSupervisors = "escalate",
        FaultOptions? faults = null,
        Action<WorkerRegistryBuilder>? workers = null,
        Action<int>? exit = null,
        WorkerMailboxOptions? mailbox = null,
        SampleWorkerOptions? samples = null,
        bool inlineDispatch = true,
        Action<IServiceCollection>? services = null,
        RecordingLogger? log = null)
    {
        var all = new Dictionary<string, SupervisionStrategyOptions>(WorkerRuntimeOptions.DefaultStrategies());
        foreach (SupervisionStrategyOptions s in strategies ?? [])
        {
            all[s.Name] = s;
        }

        var options = new WorkerRuntimeOptions
        {
            Routes = routes.ToDictionary(r => r.Name),
            Strategies = all,
            RouteSupervisors = routeSupervisors,
            Faults = faults ?? new FaultOptions(),
            Mailbox = mailbox ?? new WorkerMailboxOptions(),
            InlineDispatch = inlineDispatch,
        };
        var harness = new Harness(options, workers, exit, samples, services, log);
        await harness.Runtime.Ready.WaitAsync(Guard);
        return harness;
    }

    /// <summary>Builds and dispatches a request; returns its envelope and response without waiting.</summary>
    public Exchange Send(string route, string? action = "ok", string? key = null, IDictionary<string, string>? query = null, string method = "GET", byte[]? body = null, string? contentType = null, IDictionary<string, string>? routeValues = null, IDictionary<string, string>? headers = null)
    {
        var sink = new MemorySink();
        var q = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        if (action is not null)
        {
            q["do"] = action;
        }

        foreach ((string k, string v) in query ?? new Dictionary<string, string>())
        {
            q[k] = v;
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (key is not null)
        {
            values["id"] = key;
        }

        foreach ((string k, string v) in routeValues ?? new Dictionary<string, string>())
        {
            values[k] = v;
        }

        var request = new WorkerRequest
        {
            RequestId = $"req-{Interlocked.Increment(ref _requests)}",
            Route = route,
            Method = method,
            Path = "/" + route + (key is null ? string.Empty : "/" + key),
            Query = q,
            RouteValues = values,
            EntityKey = key,
            Body = body is null ? Stream.Null : new MemoryStream(body),
            ContentType = contentType,
            ContentLength = body?.Length,
            Headers = (headers ?? new Dictionary<string, string>()).ToDictionary(h => h.Key, h => new StringValues(h.Value), StringComparer.OrdinalIgnoreCase),
            ShutdownToken = Runtime.ShutdownToken,
        };
        RequestEnvelope envelope = Runtime.CreateEnvelope(request, sink);
        Runtime.Dispatch(envelope);
        return new Exchange(envelope, sink);
    }

    public async Task<Exchange> SendAsync(string route, string action = "ok", string? key = null, IDictionary<string, string>? query = null)
    {
        Exchange exchange = Send(route, action, key, query);
        await exchange.Envelope.Completion.WaitAsync(Guard);
        await exchange.Envelope.HandlerExited.WaitAsync(Guard);
        return exchange;
    }

    /// <summary>Waits until a worker event matching <paramref name="match"/> was published.</summary>
    public Task<T> Expect<T>(Func<T, bool>? match = null)
        where T : WorkerEvent => _events.WhenPublished(match).WaitAsync(Guard);

    /// <summary>Waits until <paramref name="count"/> worker events matching <paramref name="match"/> were published.</summary>
    public async Task<IReadOnlyList<T>> ExpectCount<T>(int count, Func<T, bool>? match = null)
        where T : WorkerEvent
    {
        await _events.WhenPublished<T>(_ => _events.All.OfType<T>().Count(e => match is null || match(e)) >= count).WaitAsync(Guard);
        return [.. _events.All.OfType<T>().Where(e => match is null || match(e))];
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        await _services.DisposeAsync();
    }

    /// <summary>Collects every worker event and lets tests wait for one.</summary>
    private sealed class EventSubscriptionPump
    {
        private readonly ConcurrentQueue<WorkerEvent> _all = new();
        private readonly List<(Func<WorkerEvent, bool> Match, TaskCompletionSource<WorkerEvent> Waiter)> _waiters = [];
        private readonly Lock _gate = new();

        public EventSubscriptionPump(WorkerRuntime runtime)
        {
            var subscription = runtime.Events.Subscribe(int.MaxValue);
            _ = Task.Run(async () =>
            {
                await foreach (WorkerEvent e in subscription.ReadAllAsync())
                {
                    lock (_gate)
                    {
                        _all.Enqueue(e);
                        foreach ((Func<WorkerEvent, bool> match, TaskCompletionSource<WorkerEvent> waiter) in _waiters.ToArray())
                        {
                            if (match(e))
                            {
                                waiter.TrySetResult(e);
                            }
                        }
                    }
                }
            });
        }

        public IReadOnlyList<WorkerEvent> All => [.. _all];

        public async Task<T> WhenPublished<T>(Func<T, bool>? match)
            where T : WorkerEvent
        {
            Func<WorkerEvent, bool> predicate = e => e is T t && (match is null || match(t));
            TaskCompletionSource<WorkerEvent> waiter = new(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_all.FirstOrDefault(predicate) is { } seen)
                {
                    return (T)seen;
                }

                _waiters.Add((predicate, waiter));
            }

            return (T)await waiter.Task;
        }
    }
}

/// <summary>One request in flight: its envelope and what the client received.</summary>
public sealed record Exchange(RequestEnvelope Envelope, MemorySink Sink)
{
    public async Task<RequestResult> ResultAsync() => await Envelope.Completion.WaitAsync(Harness.Guard);

    public async Task<RequestOutcome> OutcomeAsync() => (await ResultAsync()).Outcome;

    /// <summary>The probe's answer. Only once the request is over: await <see cref="OutcomeAsync"/> first.</summary>
    public ProbeReply Reply => Envelope.Completion.IsCompleted
        ? ProbeWorker.Parse(Encoding.UTF8.GetString(Sink.Body))
        : throw new InvalidOperationException($"Request {Envelope.Request.RequestId} is still running: await its outcome before reading its reply.");
}
