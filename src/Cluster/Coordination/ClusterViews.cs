namespace ActorHost.Cluster.Coordination;

/// <summary>A member's lifecycle status as recorded in the database.</summary>
public enum MemberStatus
{
    /// <summary>Registered, not yet taking shards.</summary>
    Joining,

    /// <summary>Takes part in shard allocation.</summary>
    Up,

    /// <summary>Handing its shards off before it stops.</summary>
    Leaving,

    /// <summary>Its heartbeat is older than <c>failure-timeout</c> (database clock).</summary>
    Down,
}

/// <summary>One member, as the node last read it (for <c>GET /cluster/members</c> and the dashboard).</summary>
/// <param name="NodeId">The member's id.</param>
/// <param name="Address">Its advertised internal URL.</param>
/// <param name="Status">Joining, up, leaving or down (down = heartbeat expired on the database clock).</param>
/// <param name="StartedAt">When it registered.</param>
/// <param name="HeartbeatAge">How old its last heartbeat was when read (database clock).</param>
/// <param name="ShardCount">How many shards it holds a lease on.</param>
/// <param name="IsSelf">True for this node.</param>
public sealed record ClusterMemberView(string NodeId, string Address, MemberStatus Status, DateTimeOffset StartedAt, TimeSpan HeartbeatAge, int ShardCount, bool IsSelf);

/// <summary>One shard's lease, as the node last read it (for <c>GET /cluster/shards</c> and the dashboard).</summary>
/// <param name="Shard">The shard.</param>
/// <param name="OwnerNodeId">The lease holder; null when unowned.</param>
/// <param name="Epoch">The fencing epoch, incremented at every change of owner.</param>
/// <param name="LeaseRemaining">Lease time left when read (database clock); zero or negative = expired.</param>
/// <param name="State">This node's view: "serving" (local, lease valid), "remote", "handing-off", "fenced", "unowned", "owner-down".</param>
public sealed record ShardLeaseView(int Shard, string? OwnerNodeId, long Epoch, TimeSpan LeaseRemaining, string State);

/// <summary>Kinds of <see cref="ClusterEvent"/>.</summary>
public enum ClusterEventKind
{
    /// <summary>A member appeared (joining or up).</summary>
    MemberUp,

    /// <summary>A member started leaving.</summary>
    MemberLeaving,

    /// <summary>A member's heartbeat expired.</summary>
    MemberDown,

    /// <summary>A member left (its row was removed).</summary>
    MemberRemoved,

    /// <summary>This node acquired a shard lease (new epoch).</summary>
    ShardAcquired,

    /// <summary>This node began handing a shard off.</summary>
    HandOffStarted,

    /// <summary>This node finished handing a shard off (entities stopped, lease passed on or released).</summary>
    HandOffCompleted,

    /// <summary>This node lost a shard it served (lease taken by another node).</summary>
    ShardLost,

    /// <summary>This node stopped serving its shards because it could not renew in time.</summary>
    Fenced,

    /// <summary>This node reached the database again after fencing.</summary>
    Recovered,

    /// <summary>
    /// Another process registered with this node's id: this process stopped serving for good and reports not
    /// ready (a misconfiguration: every node needs its own node-id).
    /// </summary>
    Displaced,
}

/// <summary>Something that changed in the cluster, as this node saw it (published for logs, /events and the dashboard).</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Timestamp">When this node saw it.</param>
/// <param name="NodeId">The member concerned.</param>
/// <param name="Shards">The shards concerned (empty for member events).</param>
/// <param name="Epoch">The epoch concerned, when one shard's.</param>
/// <param name="Detail">Human-readable detail (e.g. the new owner, the reason).</param>
public sealed record ClusterEvent(ClusterEventKind Kind, DateTimeOffset Timestamp, string NodeId, IReadOnlyList<int> Shards, long? Epoch, string? Detail);
