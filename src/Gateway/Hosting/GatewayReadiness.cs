using System.Globalization;
using ActorHost.Cluster;
using ActorHost.Cluster.Coordination;
using ActorHost.Workers;
using RouteOptions = ActorHost.Workers.Options.RouteOptions;

namespace ActorHost.Gateway.Hosting;

/// <summary>
/// Whether the gateway wants new traffic (<c>GET /ready</c>). It becomes ready once the listeners are
/// up; shutdown flips it off first thing, so load balancers stop sending before anything is refused.
/// In a cluster (an <see cref="IClusterView"/> is registered) it is also not ready while this node is not
/// an up member: a node that is joining, leaving or displaced cannot serve its share of the entities. A node
/// that only lost the database stays ready unless <c>ready-during-database-outage = off</c>: the database is
/// shared, so failing readiness for it would take every node out of its load balancer at once, pool routes
/// included, while the node can still serve those (it answers 503 for its shards once fenced).
/// A pool route whose workers supervision has all stopped makes the node degraded, never unready, for the same
/// reason: its other routes still serve, the pool does not come back by waiting, and only a restart (of the route
/// or the process) cures it.
/// </summary>
internal sealed class GatewayReadiness
{
    /// <summary>The reason given while the cluster says this node is not up.</summary>
    public const string ClusterNotUp = "cluster: not up";

    /// <summary>What <c>/ready</c> says beside "ready" while this node cannot reach the cluster's database.</summary>
    public const string ClusterDatabaseUnreachable = "cluster: database unreachable (pool routes served; shards answer 503 once fenced)";

    /// <summary>The reason given once another process took over this node's id (it stays so until restarted).</summary>
    public const string ClusterDisplaced = "cluster: displaced by another process with the same node-id";

    /// <summary>The reason given from the gateway's creation until its host has started.</summary>
    public const string Starting = "starting";

    private readonly IClusterView? _cluster;
    private readonly IWorkerRuntime? _runtime;
    private readonly bool _readyWithoutDatabase;
    private volatile string? _notReadyReason = Starting;

    /// <param name="cluster">This node's membership; null (nothing registered) when the cluster is off.</param>
    /// <param name="clusterOptions">The cluster's options (for <c>ready-during-database-outage</c>); null when the cluster is off.</param>
    /// <param name="runtime">The worker runtime, asked which pool routes have no live worker left; null for none.</param>
    public GatewayReadiness(IClusterView? cluster = null, ClusterOptions? clusterOptions = null, IWorkerRuntime? runtime = null)
    {
        _cluster = cluster;
        _runtime = runtime;
        _readyWithoutDatabase = clusterOptions?.ReadyDuringDatabaseOutage ?? new ClusterOptions().ReadyDuringDatabaseOutage;
    }

    public bool IsReady => NotReadyReason is null;

    /// <summary>
    /// Why the gateway is not ready, or null when it is. The gateway's own reason (starting, stopping,
    /// shutting down) comes first: it says more than the membership that follows from it.
    /// </summary>
    public string? NotReadyReason => _notReadyReason ?? _cluster switch
    {
        { IsDisplaced: true } => ClusterDisplaced,
        { IsUp: false, IsDatabaseUnreachable: true } when _readyWithoutDatabase => null,
        { IsUp: false } => ClusterNotUp,
        _ => null,
    };

    /// <summary>
    /// While ready but not fully able to serve, why (every reason, joined by "; "): the cluster's database is
    /// unreachable, or a pool route has no live worker left (<see cref="PoolWithoutWorkers"/>); otherwise null.
    /// </summary>
    public string? DegradedReason
    {
        get
        {
            if (NotReadyReason is not null)
            {
                return null;
            }

            string? cluster = _cluster is { IsDatabaseUnreachable: true } ? ClusterDatabaseUnreachable : null;
            IReadOnlyCollection<string> emptyPools = _runtime?.RoutesWithoutLiveWorkers ?? [];
            if (emptyPools.Count == 0)
            {
                return cluster;
            }

            IEnumerable<string> pools = emptyPools.Order(StringComparer.Ordinal)
                .Select(route => PoolWithoutWorkers(route, _runtime!.Routes.TryGetValue(route, out RouteOptions? options) ? options.Instances : 0));
            return string.Join("; ", cluster is null ? pools : pools.Prepend(cluster));
        }
    }

    /// <summary>What <c>/ready</c> says beside "ready" for a pool route that has no live worker left.</summary>
    /// <param name="route">The route's name.</param>
    /// <param name="poolSize">Its configured <c>instances</c>.</param>
    public static string PoolWithoutWorkers(string route, int poolSize) =>
        string.Create(CultureInfo.InvariantCulture, $"route {route}: no live workers (0 of {poolSize})");

    /// <summary>
    /// The host has started: clears the "starting" reason, and only that one. A shutdown may have begun while the
    /// host was starting (a signal, <c>POST /shutdown</c>); its reason must stay, or <c>/ready</c> would answer 200
    /// through the drain-delay that exists for load balancers to see it fail.
    /// </summary>
    public void MarkReady() => Interlocked.CompareExchange(ref _notReadyReason, null, Starting);

    public void MarkNotReady(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _notReadyReason = reason;
    }
}
