using ActorHost.Cluster.Coordination;

namespace ActorHost.Gateway.Management.Cluster;

/// <summary>
/// The wire form of a <see cref="ClusterEvent"/> on <c>/events</c> (type <c>cluster</c>): the kind as a
/// snake_case word, the node, the shards, the epoch, the detail and when this node saw it.
/// </summary>
internal static class ClusterEventData
{
    /// <summary>The <c>/events</c> type of every cluster event.</summary>
    public const string Type = "cluster";

    public static object Describe(ClusterEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new
        {
            kind = Word(change.Kind),
            node = change.NodeId,
            // Copied: the event ring serialises its entries when first read, so the data must not change later.
            shards = change.Shards.ToArray(),
            epoch = change.Epoch,
            detail = change.Detail,
            timestamp = change.Timestamp,
        };
    }

    /// <summary>
    /// Spelled out rather than derived from the enum name: "hand-off" is one word on the wire
    /// (<c>handoff_started</c>), and a renamed enum member must not silently change what clients match on.
    /// </summary>
    public static string Word(ClusterEventKind kind) => kind switch
    {
        ClusterEventKind.MemberUp => "member_up",
        ClusterEventKind.MemberLeaving => "member_leaving",
        ClusterEventKind.MemberDown => "member_down",
        ClusterEventKind.MemberRemoved => "member_removed",
        ClusterEventKind.ShardAcquired => "shard_acquired",
        ClusterEventKind.HandOffStarted => "handoff_started",
        ClusterEventKind.HandOffCompleted => "handoff_completed",
        ClusterEventKind.ShardLost => "shard_lost",
        ClusterEventKind.Fenced => "fenced",
        ClusterEventKind.Recovered => "recovered",
        ClusterEventKind.Displaced => "displaced",
        _ => "unknown",
    };
}
