namespace ActorHost.Cluster.Coordination;

/// <summary>
/// What management and the dashboard read of the cluster: this node's membership, the members, the shard
/// leases and a stream of changes. Implemented by <see cref="ClusterNode"/>; tests may stand in for it.
/// </summary>
public interface IClusterView
{
    /// <summary>This node's id.</summary>
    string NodeId { get; }

    /// <summary>This node's status.</summary>
    MemberStatus Status { get; }

    /// <summary>True while this node is an up member with a recent successful heartbeat (feeds readiness).</summary>
    bool IsUp { get; }

    /// <summary>True once another process registered with this node's id and this one stopped serving for good.</summary>
    bool IsDisplaced => false;

    /// <summary>
    /// True while this node is an up member whose heartbeats have failed for <c>failure-timeout</c> or longer: the
    /// database cannot be reached from here. Not up then, but its pool routes still serve (readiness may stay on).
    /// </summary>
    bool IsDatabaseUnreachable => false;

    /// <summary>The cluster's <c>number-of-shards</c>.</summary>
    int NumberOfShards { get; }

    /// <summary>The members as last read.</summary>
    IReadOnlyList<ClusterMemberView> Members { get; }

    /// <summary>Every shard's lease as last read, with this node's view of it.</summary>
    IReadOnlyList<ShardLeaseView> Shards { get; }

    /// <summary>Raised for every membership and ownership change this node sees (background thread).</summary>
    event Action<ClusterEvent>? Changed;
}
