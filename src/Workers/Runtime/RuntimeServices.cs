using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ActorHost.Actors;
using ActorHost.Workers.Diagnostics;
using ActorHost.Workers.Events;
using ActorHost.Workers.Faults;
using Microsoft.Extensions.Logging;

namespace ActorHost.Workers.Runtime;

/// <summary>What every route and worker of one runtime shares.</summary>
internal sealed class RuntimeServices
{
    private readonly SlotRegistry<RequestEnvelope> _inFlight = new();
    private readonly ConditionalWeakTable<Exception, FailureOrigin> _failureOrigins = [];
    private readonly ConcurrentDictionary<RequestEnvelope, RequestResult> _heldFailures = new();

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

    /// <summary>The actor system; set once it exists.</summary>
    public ActorSystem System { get; set; } = null!;

    /// <summary>The kernel's stream; set once the actor system exists.</summary>
    public EventStream Events { get; set; } = null!;

    /// <summary>The worker view, published by the translator only.</summary>
    public WorkerEventStream WorkerEvents { get; } = new();

    public int InFlightCount => _inFlight.Count;

    /// <summary>Tracks a dispatched request until the runtime lets go of it, so none is left behind at termination.</summary>
    public void Track(RequestEnvelope envelope)
    {
        if (Volatile.Read(ref envelope.InFlightSlot) < 0)
        {
            Volatile.Write(ref envelope.InFlightSlot, _inFlight.Add(envelope));
        }
    }

    /// <summary>Lets go of a tracked request; idempotent (several paths may each be the one that lets go).</summary>
    public void Untrack(RequestEnvelope envelope)
    {
        int slot = Interlocked.Exchange(ref envelope.InFlightSlot, -1);
        if (slot >= 0)
        {
            _inFlight.Remove(slot, envelope);
        }
    }

    public IReadOnlyCollection<RequestEnvelope> InFlight => _inFlight.Snapshot();

    /// <summary>
    /// Remembers which worker incarnation an exception came from, so supervision events (which carry the
    /// kernel's per-actor incarnation) can be reported with the worker-level number, and so the decision
    /// about it can find the worker and the request it failed.
    /// </summary>
    public void RecordFailure(Exception exception, FailureOrigin origin) => _failureOrigins.AddOrUpdate(exception, origin);

    /// <summary>
    /// Holds a failed request's result until its supervisor has decided (see <see cref="HandlerRun"/>): a
    /// client that sees the 500 and retries must find the decision already applied.
    /// </summary>
    public void HoldFailure(RequestEnvelope envelope, RequestResult result) => _heldFailures[envelope] = result;

    /// <summary>Releases a held failure result (idempotent); the runtime lets go of the request.</summary>
    public void ReleaseFailure(RequestEnvelope envelope)
    {
        Untrack(envelope);
        if (_heldFailures.TryRemove(envelope, out RequestResult? result))
        {
            envelope.TryComplete(result);
        }
    }

    /// <summary>The held result of a failed request, if its decision is still pending.</summary>
    public RequestResult? HeldFailure(RequestEnvelope envelope) => _heldFailures.GetValueOrDefault(envelope);

    public FailureOrigin? OriginOf(Exception exception)
    {
        if (_failureOrigins.TryGetValue(exception, out FailureOrigin? origin))
        {
            return origin;
        }

        return exception.InnerException is { } inner && _failureOrigins.TryGetValue(inner, out origin) ? origin : null;
    }
}

/// <summary>The worker incarnation an exception was thrown by, and the request it failed (if any).</summary>
/// <param name="Route">The route.</param>
/// <param name="Path">The worker's path.</param>
/// <param name="Incarnation">The worker-level incarnation.</param>
/// <param name="Host">The route, to withdraw a stopped pool worker from its router.</param>
/// <param name="Slot">The worker, to mark it stopping when that is the decision.</param>
/// <param name="Envelope">The failed request whose result waits for the decision.</param>
internal sealed record FailureOrigin(string Route, string Path, int Incarnation, RouteHost? Host = null, WorkerSlot? Slot = null, RequestEnvelope? Envelope = null)
{
    private RequestEnvelope? _envelope = Envelope;

    /// <summary>The failed request, until <see cref="TakeEnvelope"/> takes it.</summary>
    public RequestEnvelope? Envelope => Volatile.Read(ref _envelope);

    /// <summary>
    /// Takes the failed request (once): the origin lives as long as its exception (whoever logs or keeps that),
    /// and must not keep the whole request — body, headers, response — alive with it.
    /// </summary>
    public RequestEnvelope? TakeEnvelope() => Interlocked.Exchange(ref _envelope, null);
}
