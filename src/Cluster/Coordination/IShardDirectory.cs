namespace ActorHost.Cluster.Coordination;

/// <summary>
/// The request path's view of shard ownership: cheap, in-memory, never blocks on the database unless asked
/// to (<see cref="RefreshAsync"/>). Implemented by <see cref="ClusterNode"/>.
/// </summary>
public interface IShardDirectory
{
    /// <summary>This node's id.</summary>
    string NodeId { get; }

    /// <summary>The cluster's <c>number-of-shards</c>.</summary>
    int NumberOfShards { get; }

    /// <summary>The shard of an entity key (<see cref="ShardHash.ShardOf"/>).</summary>
    /// <param name="entityKey">The key.</param>
    int ShardOf(string entityKey);

    /// <summary>
    /// Where the shard's requests go now. <see cref="ShardRouteKind.Local"/> only while this node's lease is
    /// valid on its local monotonic clock (lease end minus <c>fencing-margin</c>).
    /// </summary>
    /// <param name="shard">The shard.</param>
    ShardRoute Route(int shard);

    /// <summary>Re-reads the shard's lease (and the members) from the database now, e.g. after a 421.</summary>
    /// <param name="shard">The shard.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<ShardRoute> RefreshAsync(int shard, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until the shard's route is <see cref="ShardRouteKind.Local"/> or <see cref="ShardRouteKind.Remote"/>
    /// (woken by the node's own changes, LISTEN/NOTIFY and polling), or until <paramref name="timeout"/>;
    /// returns the route as it then is (still <see cref="ShardRouteKind.Unavailable"/> on timeout).
    /// </summary>
    /// <param name="shard">The shard.</param>
    /// <param name="avoid">
    /// A route known not to work (its owner was unreachable, or twice said the shard is not its own): a route to the
    /// same owner at the same epoch counts as unavailable; null for none. The same owner at a new epoch holds a new
    /// lease (a node restarted under its id, say) and is an answer.
    /// </param>
    /// <param name="timeout">Upper bound of the wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    ValueTask<ShardRoute> WaitForRouteAsync(int shard, ShardRoute? avoid, TimeSpan timeout, CancellationToken cancellationToken);
}
