using ActorHost.Cluster.Coordination;

namespace ActorHost.Gateway.Management.Cluster;

/// <summary>
/// The JSON documents of the cluster endpoints, built from one read of the <see cref="IClusterView"/>.
/// Durations are whole milliseconds; statuses are the <see cref="MemberStatus"/> names ("Up", "Joining",
/// "Leaving", "Down") as Akka Management spells its member statuses.
/// </summary>
internal static class ClusterDocuments
{
    public static MembersDocument Members(IClusterView cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        IReadOnlyList<ClusterMemberView> members = cluster.Members;
        return new MembersDocument(
            cluster.NodeId,
            cluster.Status.ToString(),
            cluster.IsUp,
            cluster.IsDisplaced,
            [.. members.Select(m => new MemberEntry(m.NodeId, m.Address, m.Status.ToString(), m.StartedAt, Milliseconds(m.HeartbeatAge), m.ShardCount, m.IsSelf))],
            [.. members.Where(m => m.Status == MemberStatus.Down).Select(m => m.NodeId)]);
    }

    public static ShardsDocument Shards(IClusterView cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        IReadOnlyList<ShardLeaseView> shards = cluster.Shards;
        var byOwner = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (ShardLeaseView shard in shards)
        {
            if (shard.OwnerNodeId is { } owner)
            {
                byOwner[owner] = byOwner.GetValueOrDefault(owner) + 1;
            }
        }

        return new ShardsDocument(
            cluster.NodeId,
            cluster.NumberOfShards,
            [.. shards.Select(s => new ShardEntry(s.Shard, s.OwnerNodeId, s.Epoch, Milliseconds(s.LeaseRemaining), s.State))],
            byOwner,
            shards.Count(s => s.OwnerNodeId is null));
    }

    private static long Milliseconds(TimeSpan duration) => (long)Math.Round(duration.TotalMilliseconds, MidpointRounding.AwayFromZero);
}

/// <summary>The answer of <c>GET /cluster/members</c>.</summary>
/// <param name="SelfNode">This node's id.</param>
/// <param name="SelfStatus">This node's status.</param>
/// <param name="SelfUp">True while this node is an up member with a recent heartbeat (what readiness follows).</param>
/// <param name="SelfDisplaced">True once another process registered with this node's id (this one serves nothing until restarted).</param>
/// <param name="Members">Every member as this node last read it.</param>
/// <param name="Unreachable">The ids of the members that are down (heartbeat expired).</param>
internal sealed record MembersDocument(string SelfNode, string SelfStatus, bool SelfUp, bool SelfDisplaced, IReadOnlyList<MemberEntry> Members, IReadOnlyList<string> Unreachable);

/// <summary>One member of <see cref="MembersDocument"/>.</summary>
/// <param name="Node">Its id.</param>
/// <param name="Address">Its advertised internal URL.</param>
/// <param name="Status">Up, Joining, Leaving or Down.</param>
/// <param name="StartedAt">When it registered.</param>
/// <param name="HeartbeatAgeMs">How old its last heartbeat was when read (database clock).</param>
/// <param name="Shards">How many shard leases it holds.</param>
/// <param name="Self">True for this node.</param>
internal sealed record MemberEntry(string Node, string Address, string Status, DateTimeOffset StartedAt, long HeartbeatAgeMs, int Shards, bool Self);

/// <summary>The answer of <c>GET /cluster/shards</c>.</summary>
/// <param name="SelfNode">This node's id.</param>
/// <param name="NumberOfShards">The cluster's <c>number-of-shards</c>.</param>
/// <param name="Shards">Every shard's lease, in shard order as read.</param>
/// <param name="ByOwner">How many shards each owner holds (owners without shards are absent).</param>
/// <param name="Unowned">How many shards have no owner.</param>
internal sealed record ShardsDocument(string SelfNode, int NumberOfShards, IReadOnlyList<ShardEntry> Shards, IReadOnlyDictionary<string, int> ByOwner, int Unowned);

/// <summary>One shard of <see cref="ShardsDocument"/>.</summary>
/// <param name="Shard">The shard number.</param>
/// <param name="Owner">The lease holder, or null.</param>
/// <param name="Epoch">The fencing epoch.</param>
/// <param name="LeaseRemainingMs">Lease time left when read; zero or negative = expired (that long ago).</param>
/// <param name="State">This node's view: serving, remote, handing-off, fenced, unowned or owner-down.</param>
internal sealed record ShardEntry(int Shard, string? Owner, long Epoch, long LeaseRemainingMs, string State);
