using ActorHost.Cluster.Coordination;
using ActorHost.Cluster.Forwarding;
using ActorHost.Workers;
using ActorHost.Workers.Options;
using Microsoft.Extensions.Logging;

namespace ActorHost.Cluster;

/// <summary>
/// The worker runtime as the gateway sees it when the cluster is on: pool routes and entities of shards this
/// node serves go to the local runtime; entities of other nodes' shards are forwarded to their owner;
/// requests for a shard nobody serves right now wait (bounded by <c>handoff-timeout</c> and
/// <c>handoff-buffer</c>) for an owner, then get 503 (<see cref="RequestOutcome.ShardUnavailable"/>).
/// A request is forwarded again only when nothing can have run (421 or no connection), so it never runs on
/// two owners.
/// </summary>
public sealed class ClusterWorkerRuntime : IWorkerRuntime
{
    private const string FencedReason = "fenced";

    private readonly IWorkerRuntime _local;
    private readonly IShardDirectory _directory;
    private readonly ShardDispatchGate _gate;
    private readonly ClusterOptions _options;
    private readonly RequestForwarder _forwarder;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private int _waiting;

    /// <summary>Counts forwarding attempts when set (the host sets it once, before serving).</summary>
    public ClusterMetrics? Metrics { get; set; }

    /// <summary>Creates the cluster-aware runtime in front of <paramref name="local"/>.</summary>
    /// <param name="local">This node's worker runtime.</param>
    /// <param name="directory">Shard ownership (the cluster node).</param>
    /// <param name="gate">The dispatch gate shared with <see cref="ShardEntityStopper"/>.</param>
    /// <param name="options">The cluster options.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="timeProvider">Clock; null = system.</param>
    public ClusterWorkerRuntime(IWorkerRuntime local, IShardDirectory directory, ShardDispatchGate gate, ClusterOptions options,
        ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _local = local;
        _directory = directory;
        _gate = gate;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _forwarder = new RequestForwarder(options, directory.NodeId, loggerFactory, _time);
        _log = loggerFactory.CreateLogger(ForwardLog.Category);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, RouteOptions> Routes => _local.Routes;

    /// <inheritdoc />
    public Task<RuntimeTermination> WhenTerminated => _local.WhenTerminated;

    /// <inheritdoc />
    public IReadOnlyCollection<string> RoutesWithoutLiveWorkers => _local.RoutesWithoutLiveWorkers;

    /// <summary>Requests waiting for a shard owner right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <inheritdoc />
    public RequestEnvelope CreateEnvelope(WorkerRequest request, IResponseSink sink) => _local.CreateEnvelope(request, sink);

    /// <inheritdoc />
    public void Dispatch(RequestEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        WorkerRequest request = envelope.Request;
        if (request.EntityKey is not { Length: > 0 } key || !Routes.TryGetValue(request.Route, out RouteOptions? route) || route.Mode != RouteMode.Entity)
        {
            _local.Dispatch(envelope);
            return;
        }

        int shard = _directory.ShardOf(key);
        _gate.Enter(shard);
        ShardRoute decision;
        try
        {
            decision = _directory.Route(shard);
            if (decision.Kind == ShardRouteKind.Local)
            {
                _local.Dispatch(envelope);
                return;
            }
        }
        finally
        {
            _gate.Exit(shard);
        }

        _ = ForwardAsync(envelope, shard, decision);
    }

    /// <summary>
    /// Dispatches to this node's runtime only if it serves the shard now (the internal listener's check for
    /// forwarded requests); false when it does not (the caller answers 421).
    /// </summary>
    /// <param name="envelope">The forwarded request.</param>
    /// <param name="shard">Its shard.</param>
    public bool TryDispatchLocally(RequestEnvelope envelope, int shard)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        _gate.Enter(shard);
        try
        {
            if (_directory.Route(shard).Kind != ShardRouteKind.Local)
            {
                return false;
            }

            _local.Dispatch(envelope);
            return true;
        }
        finally
        {
            _gate.Exit(shard);
        }
    }

    /// <inheritdoc />
    public void ReportStuck(RequestEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);

        // A forwarded request's handler runs on its owner, which watches it itself.
        if (envelope.Handler?.Path.StartsWith("actorhost://", StringComparison.Ordinal) != true)
        {
            _local.ReportStuck(envelope);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(TimeSpan timeout) => _local.StopAsync(timeout);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // The local runtime has its own owner (the host's container); only the connections are ours.
        _forwarder.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ForwardAsync(RequestEnvelope envelope, int shard, ShardRoute decision)
    {
        // The route timeout started when the gateway dispatched the request, a moment before this.
        long dispatched = _time.GetTimestamp();
        TimeSpan timeout = _local.Routes.TryGetValue(envelope.Request.Route, out RouteOptions? route) ? route.Timeout : Timeout.InfiniteTimeSpan;
        CancellationToken token = envelope.HandlerToken;
        bool dispatchedLocally = false;
        try
        {
            ReadOnlyMemory<byte> body = envelope.Request.BufferedBody ?? await BufferBodyAsync(envelope.Request.Body, token);
            ShardRoute? avoid = null;
            int misdirections = 0;
            while (!envelope.IsCompleted)
            {
                if (decision is { Kind: ShardRouteKind.Unavailable, Reason: FencedReason })
                {
                    // This node owns the shard but cannot reach the database to renew: nobody can serve it until
                    // the database is back, so waiting would only hold the client. Answer now.
                    envelope.TryComplete(new RequestResult(RequestOutcome.ShardUnavailable, new ShardUnavailableException(
                        $"Shard {shard} is fenced on this node: its lease could not be renewed (coordination database unreachable).")));
                    return;
                }

                if (decision.Kind == ShardRouteKind.Unavailable || decision.IsSameLeaseAs(avoid))
                {
                    decision = await WaitForOwnerAsync(envelope, shard, avoid, token);
                    if (decision.Kind == ShardRouteKind.Unavailable)
                    {
                        envelope.TryComplete(new RequestResult(RequestOutcome.ShardUnavailable, new ShardUnavailableException(
                            $"No node served shard {shard} within handoff-timeout ({_options.HandoffTimeout}): {decision.Reason}.")));
                        return;
                    }
                }

                if (decision.Kind == ShardRouteKind.Local)
                {
                    if (TryDispatchLocally(envelope, shard))
                    {
                        dispatchedLocally = true;
                        return;
                    }

                    decision = _directory.Route(shard);
                    continue;
                }

                TimeSpan? remaining = timeout == Timeout.InfiniteTimeSpan ? null : timeout - _time.GetElapsedTime(dispatched);
                ForwardAttempt attempt = await _forwarder.SendAsync(envelope, body, decision, token, remaining);
                Metrics?.Forwarded(envelope.Request.Route, attempt switch
                {
                    ForwardAttempt.Completed => "completed",
                    ForwardAttempt.Misdirected => "misdirected",
                    _ => "unreachable",
                });
                switch (attempt)
                {
                    case ForwardAttempt.Completed:
                        return;
                    case ForwardAttempt.Misdirected when misdirections++ == 0:
                        decision = await _directory.RefreshAsync(shard, token);
                        break;
                    case ForwardAttempt.Misdirected:
                        // Twice told "not mine": the owners are changing hands; wait for the table to settle.
                        avoid = decision;
                        break;
                    case ForwardAttempt.Unreachable:
                        avoid = decision;
                        break;
                }
            }
        }
        catch (OperationCanceledException ex)
        {
            envelope.TryComplete(new RequestResult(envelope.CancellationCause ?? RequestOutcome.ClientAborted, ex));
        }
        catch (Exception ex)
        {
            // A bug here must still answer the request (never silence); the gateway logs it as a gateway fault.
            envelope.TryComplete(new RequestResult(RequestOutcome.GatewayFault, ex));
        }
        finally
        {
            // A local worker marks its own exit; for a forwarded request the forwarding was the handler.
            if (!dispatchedLocally)
            {
                envelope.MarkHandlerExited();
            }
        }
    }

    private async Task<ShardRoute> WaitForOwnerAsync(RequestEnvelope envelope, int shard, ShardRoute? avoid, CancellationToken token)
    {
        int waiting = Interlocked.Increment(ref _waiting);
        try
        {
            if (waiting > _options.HandoffBuffer)
            {
                ForwardLog.BufferFull(_log, waiting - 1, envelope.Request.Method, envelope.Request.Path);
                return new ShardRoute(ShardRouteKind.Unavailable, shard, 0, null, null, "handoff-buffer full");
            }

            return await _directory.WaitForRouteAsync(shard, avoid, _options.HandoffTimeout, token);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private static async ValueTask<ReadOnlyMemory<byte>> BufferBodyAsync(Stream body, CancellationToken token)
    {
        if (body is MemoryStream memory && memory.TryGetBuffer(out ArraySegment<byte> segment))
        {
            return segment.AsMemory((int)memory.Position);
        }

        if (body == Stream.Null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, token);
        return copy.ToArray();
    }
}
