using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ActorHost.Actors;
using ActorHost.Workers.Diagnostics;
using ActorHost.Workers.Faults;
using Microsoft.Extensions.Logging;

namespace ActorHost.Workers.Runtime;

/// <summary>What every route and worker of one runtime shares.</summary>
internal sealed class RuntimeServices
{
    private readonly ConcurrentDictionary<RequestEnvelope, byte> _inFlight = new();
    private readonly ConditionalWeakTable<Exception, FailureOrigin> _failureOrigins = [];

    public RuntimeServices(IServiceProvider services, FaultInjector faults, TimeProvider time, ILogger logger, WorkerMetrics metrics, CancellationToken shutdownToken)
    {
        Services = services;
        Faults = faults;
        Time = time;
        ShutdownToken = shutdownToken;
        Logger = logger;
        Metrics = metrics;
    }

    public IServiceProvider Services { get; }

    public FaultInjector Faults { get; }

    public TimeProvider Time { get; }

    public CancellationToken ShutdownToken { get; }

    public ILogger Logger { get; }

    public WorkerMetrics Metrics { get; }

    /// <summary>The worker mailbox (null = the system default, unbounded).</summary>
    public MailboxOptions? WorkerMailbox { get; init; }

    /// <summary>Set once the actor system exists.</summary>
    public EventStream Events { get; set; } = null!;

    public int InFlightCount => _inFlight.Count;

    /// <summary>Tracks a dispatched request until the runtime lets go of it, so none is left behind at termination.</summary>
    public void Track(RequestEnvelope envelope) => _inFlight.TryAdd(envelope, 0);

    public void Untrack(RequestEnvelope envelope) => _inFlight.TryRemove(envelope, out _);

    public ICollection<RequestEnvelope> InFlight => _inFlight.Keys;

    /// <summary>
    /// Remembers which worker incarnation an exception came from, so supervision events (which carry the
    /// kernel's per-actor incarnation) can be reported with the worker-level number.
    /// </summary>
    public void RecordFailure(Exception exception, string route, string path, int incarnation) =>
        _failureOrigins.AddOrUpdate(exception, new FailureOrigin(route, path, incarnation));

    public FailureOrigin? OriginOf(Exception exception)
    {
        if (_failureOrigins.TryGetValue(exception, out FailureOrigin? origin))
        {
            return origin;
        }

        return exception.InnerException is { } inner && _failureOrigins.TryGetValue(inner, out origin) ? origin : null;
    }
}

/// <summary>The worker incarnation an exception was thrown by.</summary>
internal sealed record FailureOrigin(string Route, string Path, int Incarnation);
