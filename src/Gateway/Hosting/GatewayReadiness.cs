using ActorHost.Cluster.Coordination;

namespace ActorHost.Gateway.Hosting;

/// <summary>
/// Whether the gateway wants new traffic (<c>GET /ready</c>). It becomes ready once the listeners are
/// up; shutdown flips it off first thing, so load balancers stop sending before anything is refused.
/// In a cluster (an <see cref="IClusterView"/> is registered) it is also not ready while this node is not
/// an up member: a node that is joining, leaving or fenced cannot serve its share of the entities.
/// </summary>
internal sealed class GatewayReadiness
{
    /// <summary>The reason given while the cluster says this node is not up.</summary>
    public const string ClusterNotUp = "cluster: not up";

    /// <summary>The reason given once another process took over this node's id (it stays so until restarted).</summary>
    public const string ClusterDisplaced = "cluster: displaced by another process with the same node-id";

    private readonly IClusterView? _cluster;
    private volatile string? _notReadyReason = "starting";

    /// <param name="cluster">This node's membership; null (nothing registered) when the cluster is off.</param>
    public GatewayReadiness(IClusterView? cluster = null) => _cluster = cluster;

    public bool IsReady => NotReadyReason is null;

    /// <summary>
    /// Why the gateway is not ready, or null when it is. The gateway's own reason (starting, stopping,
    /// shutting down) comes first: it says more than the membership that follows from it.
    /// </summary>
    public string? NotReadyReason => _notReadyReason ?? _cluster switch
    {
        { IsDisplaced: true } => ClusterDisplaced,
        { IsUp: false } => ClusterNotUp,
        _ => null,
    };

    public void MarkReady() => _notReadyReason = null;

    public void MarkNotReady(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _notReadyReason = reason;
    }
}
