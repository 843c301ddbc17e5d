namespace ActorHost.Cluster.Coordination;

/// <summary>
/// What the cluster node asks of the local worker runtime when it stops serving shards (hand-off, lease
/// lost, self-fencing, leave): stop every entity worker whose key falls on one of the shards, running their
/// stop hooks, before the lease is given up.
/// </summary>
public interface IShardEntities
{
    /// <summary>Stops the local entity workers of <paramref name="shards"/>; completes once they have stopped.</summary>
    /// <param name="shards">The shards.</param>
    /// <param name="cancellationToken">Bounds the wait.</param>
    Task StopEntitiesAsync(IReadOnlySet<int> shards, CancellationToken cancellationToken);
}
