namespace ActorHost.Cluster.Coordination;

/// <summary>
/// What the cluster node asks of the local worker runtime when it stops serving shards (hand-off, lease
/// lost, self-fencing, leave): stop every entity worker whose key falls on one of the shards, running their
/// stop hooks, before the lease is given up. The entities are stopped with notice: their handlers see
/// <c>WorkerContext.ShutdownToken</c> fire at once, and those still running after a bound are cancelled.
/// </summary>
public interface IShardEntities
{
    /// <summary>Stops the local entity workers of <paramref name="shards"/> with notice; completes once they have stopped.</summary>
    /// <param name="shards">The shards.</param>
    /// <param name="cancelAfter">How long running handlers may take to end after the notice before their requests are cancelled.</param>
    /// <param name="cancellationToken">Bounds the wait.</param>
    Task StopEntitiesAsync(IReadOnlySet<int> shards, TimeSpan cancelAfter, CancellationToken cancellationToken);
}
