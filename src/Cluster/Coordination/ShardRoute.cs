namespace ActorHost.Cluster.Coordination;

/// <summary>Where requests for a shard go right now, as this node sees it.</summary>
public enum ShardRouteKind
{
    /// <summary>This node holds a valid lease on the shard and serves it.</summary>
    Local,

    /// <summary>Another live member holds the lease; forward to <see cref="ShardRoute.OwnerAddress"/>.</summary>
    Remote,

    /// <summary>
    /// Nobody can serve the shard right now: it is being handed off, its owner is down and the lease has not
    /// expired yet, it is unowned, or this node owns it but has self-fenced (database unreachable).
    /// Requests wait (bounded) for the route to change.
    /// </summary>
    Unavailable,
}

/// <summary>One routing decision for one shard.</summary>
/// <param name="Kind">Local, remote or unavailable.</param>
/// <param name="Shard">The shard.</param>
/// <param name="Epoch">The lease's fencing epoch (0 when unowned).</param>
/// <param name="OwnerNodeId">The owner's node id, when there is one.</param>
/// <param name="OwnerAddress">The owner's internal address (its advertise URL), for <see cref="ShardRouteKind.Remote"/>.</param>
/// <param name="Reason">Why the shard is unavailable (e.g. "handing-off", "owner-down", "unowned", "fenced"); null otherwise.</param>
public readonly record struct ShardRoute(ShardRouteKind Kind, int Shard, long Epoch, string? OwnerNodeId, Uri? OwnerAddress, string? Reason)
{
    /// <summary>True when <paramref name="other"/> names the same owner at the same epoch: the same lease.</summary>
    /// <param name="other">A route seen before, or null.</param>
    public bool IsSameLeaseAs(ShardRoute? other) =>
        other is { } seen && seen.OwnerNodeId is not null && OwnerNodeId == seen.OwnerNodeId && Epoch == seen.Epoch;
}
