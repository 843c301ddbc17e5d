using System.Diagnostics.Metrics;
using ActorHost.Actors;
using ActorHost.Workers.Configuration;
using ActorHost.Workers.Diagnostics;
using ActorHost.Workers.Events;
using ActorHost.Workers.Faults;
using ActorHost.Workers.Options;
using ActorHost.Workers.Registration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorHost.Workers.Runtime;

/// <summary>
/// The request-worker runtime: an actor system with <c>/user/routes</c> and one supervisor per route, the
/// routers that take each request to its worker, the fault injector, and the supervision event view.
/// </summary>
/// <remarks>
/// Tree: <c>/user/routes/&lt;route&gt;/&lt;worker-N | entity-key&gt;</c>. The user guardian escalates, so a
/// failure that <c>/user/routes</c> escalates (its strategy is <c>supervision.route-supervisors</c>) reaches the
/// root and terminates the system; <see cref="WhenTerminated"/> then reports it as escalated.
/// No request handed to <see cref="Dispatch"/> is ever left without a result: dead letters are completed as
/// worker_stopped, and whatever the runtime still holds when the system has terminated is completed too.
/// </remarks>
public sealed class WorkerRuntime : IWorkerRuntime, IEntityControl
{
    private static readonly TimeSpan TranslatorDrainBound = TimeSpan.FromSeconds(5);

    private readonly ActorSystem _system;
    private readonly Dictionary<string, RouteHost> _routes;
    private readonly RuntimeServices _services;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly SupervisionEventTranslator _translator;
    private readonly SupervisionEventRecorder _recorder;
    private readonly ILogger _logger;
    private readonly Task _ready;
    private readonly bool _inlineDispatch;
    private int _terminated;

    /// <summary>Validates the options, starts the actor system and every route.</summary>
    /// <param name="options">Routes, strategies, kernel settings and faults (bound from configuration by <c>WorkerOptionsBinder</c>).</param>
    /// <param name="services">
    /// Where workers get their dependencies; must hold the <see cref="WorkerRegistry"/>
    /// (<c>services.AddActorHostWorkers(...)</c>). An <see cref="IMeterFactory"/> there is used for the metrics.
    /// </param>
    /// <param name="loggerFactory">Logging (category <c>ActorHost.Workers</c>); null for none.</param>
    /// <param name="timeProvider">The clock for passivation, retry windows and injected hangs; null for the system clock.</param>
    /// <param name="exitProcess">What an <c>exit-code</c> fault rule calls; null for <see cref="Environment.Exit"/>.</param>
    /// <exception cref="WorkerConfigurationException">The options are invalid; every problem is listed.</exception>
    public WorkerRuntime(
        WorkerRuntimeOptions options,
        IServiceProvider services,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        Action<int>? exitProcess = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        WorkerRegistry registry = services.GetService<WorkerRegistry>() ?? new WorkerRegistry([]);
        IReadOnlyList<ConfigProblem> problems = WorkerOptionsValidator.Validate(options, registry);
        if (problems.Count > 0)
        {
            throw new WorkerConfigurationException(problems);
        }

        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ActorHost.Workers");
        Metrics = new WorkerMetrics(services.GetService<IMeterFactory>());
        Faults = new FaultInjector(options.Faults, exitProcess, _logger);
        TimeProvider time = timeProvider ?? TimeProvider.System;
        _services = new RuntimeServices(services, Faults, time, _logger, Metrics, _shutdown.Token)
        {
            WorkerMailbox = options.Mailbox.Type == MailboxKind.Bounded
                ? MailboxOptions.Bounded(options.Mailbox.Capacity, MailboxOverflow.Reject) // back-pressure is refused by validation
                : null,
        };

        Dictionary<string, SupervisorStrategy> strategies = options.Strategies.ToDictionary(
            s => s.Key, s => WorkerDecider.BuildStrategy(s.Value), StringComparer.Ordinal);
        _inlineDispatch = options.InlineDispatch;
        _routes = options.Routes.ToDictionary(
            r => r.Key,
            r => new RouteHost(r.Value with { Name = r.Key }, registry.TryGet(r.Value.Worker, out WorkerRegistration? w) ? w : throw new InvalidOperationException("validated above"), strategies[r.Value.Supervision], _services),
            StringComparer.Ordinal);
        Routes = _routes.ToDictionary(r => r.Key, r => r.Value.Options, StringComparer.Ordinal);

        _system = ActorSystem.Create("actorhost", new ActorSystemSettings
        {
            TimeProvider = time,
            Throughput = options.Throughput,
            // Every level above the route supervisors escalates unless /user/routes decides otherwise.
            UserGuardianStrategy = new OneForOneStrategy(static _ => Directive.Escalate),
        });
        _services.System = _system;
        _services.Events = _system.EventStream;
        _translator = new SupervisionEventTranslator(_services, _system.EventStream);
        _recorder = new SupervisionEventRecorder(_services.WorkerEvents, _logger, Metrics);
        Metrics.Observe(ObserveLiveWorkers, ObserveMailboxDepth);

        RouteHost[] hosts = [.. _routes.Values];
        _system.ActorOf(
            Props.Create(() => new RoutesActor(hosts)).WithSupervisorStrategy(strategies[options.RouteSupervisors]),
            RoutesActor.Name);
        _ready = Task.WhenAll(hosts.Select(h => h.Ready));
        WhenTerminated = ObserveTerminationAsync();
        WorkerLog.RuntimeStarted(_logger, _routes.Count, Faults.Enabled ? "on" : "off");
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, RouteOptions> Routes { get; }

    /// <inheritdoc />
    public Task<RuntimeTermination> WhenTerminated { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> RoutesWithoutLiveWorkers =>
        [.. _routes.Values.Where(r => r.HasNoLiveWorkers).Select(r => r.Name)];

    /// <summary>Completes once every route supervisor has started (requests dispatched earlier wait for it).</summary>
    public Task Ready => _ready;

    /// <summary>
    /// The worker view of supervision: <c>Events.Subscribe()</c> yields <see cref="WorkerEvent"/>s (failed with
    /// directive, restarted with incarnation, stopped, escalated, stuck, dead-lettered requests) with worker-level
    /// incarnations. The kernel's raw <see cref="ActorEvent"/>s are on <c>System.EventStream</c>. Slow
    /// subscribers never block the runtime.
    /// </summary>
    public WorkerEventStream Events => _services.WorkerEvents;

    /// <summary>The actor system (for introspection: <see cref="ActorSystem.Inspect"/>, <see cref="ActorSystem.GetChildren"/>).</summary>
    public ActorSystem System => _system;

    /// <summary>The fault injector; its rules can be changed at run time when fault injection is enabled.</summary>
    public FaultInjector Faults { get; }

    /// <summary>The worker-side metrics (meter <c>ActorHost.Workers</c>).</summary>
    public WorkerMetrics Metrics { get; }

    /// <summary>Fires when shutdown begins (<see cref="SignalShutdown"/> or <see cref="StopAsync"/>); workers see it as <see cref="WorkerContext.ShutdownToken"/>.</summary>
    public CancellationToken ShutdownToken => _shutdown.Token;

    /// <summary>Requests dispatched and not yet let go by the runtime.</summary>
    public int InFlight => _services.InFlightCount;

    /// <summary>Tells workers that shutdown has begun (fires <see cref="ShutdownToken"/>); endless responses should end.</summary>
    public void SignalShutdown()
    {
        try
        {
            _shutdown.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: shutdown is long past.
        }
    }

    /// <inheritdoc />
    public RequestEnvelope CreateEnvelope(WorkerRequest request, IResponseSink sink)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        return Faults.CreateEnvelope(request, sink);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The request names a route this runtime does not serve.</exception>
    public void Dispatch(RequestEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!_routes.TryGetValue(envelope.Request.Route, out RouteHost? route))
        {
            throw new ArgumentException($"Unknown route \"{envelope.Request.Route}\" (known: {string.Join(", ", _routes.Keys)}).", nameof(envelope));
        }

        // Tracked before the termination check: either the sweep at termination sees this request, or this
        // check sees the termination (the sweep marks termination and then lists the registry under its lock, so
        // whichever of the two takes that lock second sees the other's write).
        _services.Track(envelope);
        if (Volatile.Read(ref _terminated) != 0)
        {
            _services.Untrack(envelope);
            RequestCompletion.WorkerStopped(envelope, new ActorSystemTerminatedException("The worker runtime has stopped."));
            return;
        }

        if (!_ready.IsCompleted)
        {
            DispatchWhenReady(route, envelope);
            return;
        }

        if (_inlineDispatch)
        {
            // The dispatching thread (a request thread, which only awaits the result next) runs the worker's turn
            // itself when the worker is idle: no thread-pool hop between the request and its handler.
            CallingThread.Run(static state => state.Route.Dispatch(state.Envelope), (Route: route, Envelope: envelope));
            return;
        }

        route.Dispatch(envelope);
    }

    // Its own method: a lambda in Dispatch capturing the route and the envelope would make every call allocate the
    // closure on entry, though only requests arriving before the runtime is ready need it.
    private void DispatchWhenReady(RouteHost route, RequestEnvelope envelope) =>
        _ready.ContinueWith(_ => route.Dispatch(envelope), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    /// <inheritdoc />
    public void ReportStuck(RequestEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Handler is not null && _routes.TryGetValue(envelope.Request.Route, out RouteHost? route))
        {
            route.Supervisor.Tell(new FailStuckWorker(envelope));
        }
    }

    /// <inheritdoc />
    public Task StopEntitiesAsync(Func<string, bool> keyMatches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyMatches);
        return StopEntitiesAsync(keyMatches, notice: null, cancellationToken);
    }

    /// <inheritdoc />
    public async Task StopEntitiesWithNoticeAsync(Func<string, bool> keyMatches, TimeSpan cancelAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyMatches);
        var noticed = new List<WorkerSlot>();
        Task stopped = StopEntitiesAsync(keyMatches, noticed, CancellationToken.None);
        try
        {
            await stopped.WaitAsync(cancelAfter < TimeSpan.Zero ? TimeSpan.Zero : cancelAfter, _services.Time, cancellationToken);
            return;
        }
        catch (TimeoutException)
        {
            // The notice was not enough: cancel what still runs, as the shutdown's mercy phase does.
        }

        foreach (WorkerSlot entity in noticed)
        {
            entity.CancelCurrent(RequestOutcome.ShutdownAborted);
        }

        await stopped.WaitAsync(cancellationToken);
    }

    /// <summary>Stops the matching entities; when <paramref name="notice"/> is given, notifies each and lists it there.</summary>
    private async Task StopEntitiesAsync(Func<string, bool> keyMatches, List<WorkerSlot>? notice, CancellationToken cancellationToken)
    {
        var stops = new List<Task>();
        foreach (RouteHost route in _routes.Values)
        {
            if (!route.IsEntity)
            {
                continue;
            }

            // Requests for these entities dispatched from now on must wait for a successor, as the supervisor
            // would make them once it reads the stop: their gates close here, before it does.
            foreach ((_, WorkerSlot entity) in route.Entities)
            {
                if (entity.EntityKey is { } key && keyMatches(key))
                {
                    entity.CloseGateForStop();
                    if (notice is not null)
                    {
                        entity.GiveNotice();
                        notice.Add(entity);
                    }
                }
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            route.Supervisor.Tell(new StopEntities(keyMatches, done));
            stops.Add(done.Task);
        }

        await Task.WhenAll(stops).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task StopAsync(TimeSpan timeout)
    {
        SignalShutdown();
        _ = _system.Terminate();
        using var bound = new CancellationTokenSource(timeout);
        try
        {
            await WhenTerminated.WaitAsync(bound.Token);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            // Some worker did not stop in time; still answer every request the runtime holds.
            Sweep();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        _translator.Dispose();
        _recorder.Dispose();
        Metrics.Dispose();
        _shutdown.Dispose();
    }

    private async Task<RuntimeTermination> ObserveTerminationAsync()
    {
        TerminationReason reason = await _system.WhenTerminated;

        // The stream completes at termination: let the translator finish completing dead letters first.
        try
        {
            await _translator.Completion.WaitAsync(TranslatorDrainBound);
        }
        catch (TimeoutException)
        {
            // The sweep below completes whatever it did not reach.
        }

        int leftover = Sweep();
        _services.WorkerEvents.Complete();
        string termination = reason.ToString();
        WorkerLog.RuntimeStopped(_logger, termination, leftover);
        return new RuntimeTermination(reason.Kind == TerminationKind.Escalated, reason.Exception);
    }

    private int Sweep()
    {
        Interlocked.Exchange(ref _terminated, 1);
        int leftover = 0;
        foreach (RequestEnvelope envelope in _services.InFlight)
        {
            _services.Untrack(envelope);
            if (envelope.IsCompleted)
            {
                continue;
            }

            leftover++;
            if (_services.HeldFailure(envelope) is not null)
            {
                // A failure whose decision never came (the system went down first) still gets its own result.
                _services.ReleaseFailure(envelope);
            }
            else if (envelope.Handler is null)
            {
                RequestCompletion.WorkerStopped(envelope, new ActorSystemTerminatedException("The worker runtime stopped before the request was served."));
            }
            else
            {
                envelope.Cancel(RequestOutcome.ShutdownAborted);
                envelope.TryComplete(new RequestResult(RequestOutcome.ShutdownAborted, new ActorSystemTerminatedException("The worker runtime stopped while the request was running.")));
            }
        }

        return leftover;
    }

    private IEnumerable<Measurement<int>> ObserveLiveWorkers() =>
        _routes.Values.Select(r => new Measurement<int>(r.LiveWorkers, new KeyValuePair<string, object?>("route", r.Name)));

    private IEnumerable<Measurement<int>> ObserveMailboxDepth()
    {
        var measurements = new List<Measurement<int>>(_routes.Count);
        foreach (RouteHost route in _routes.Values)
        {
            if (route.Supervisor is not { } supervisor || _system.IsTerminating)
            {
                continue;
            }

            int depth = _system.Inspect(supervisor)?.MailboxDepth ?? 0;
            foreach (IActorRef worker in _system.GetChildren(supervisor))
            {
                depth += _system.Inspect(worker)?.MailboxDepth ?? 0;
            }

            measurements.Add(new Measurement<int>(depth, new KeyValuePair<string, object?>("route", route.Name)));
        }

        return measurements;
    }
}
