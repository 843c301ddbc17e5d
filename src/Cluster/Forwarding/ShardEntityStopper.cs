using ActorHost.Cluster.Coordination;
using ActorHost.Workers;

namespace ActorHost.Cluster.Forwarding;

/// <summary>
/// <see cref="IShardEntities"/> over the local worker runtime: waits for local dispatches of the shards that
/// already decided "local" to land, then stops, with notice, every entity whose key hashes to one of the shards.
/// </summary>
public sealed class ShardEntityStopper : IShardEntities
{
    private readonly IEntityControl _entities;
    private readonly ShardDispatchGate _gate;
    private readonly int _numberOfShards;

    /// <summary>Creates the stopper.</summary>
    /// <param name="entities">The local runtime's entity control.</param>
    /// <param name="gate">The dispatch gate shared with <see cref="ActorHost.Cluster.ClusterWorkerRuntime"/>.</param>
    /// <param name="numberOfShards">The cluster's number of shards.</param>
    public ShardEntityStopper(IEntityControl entities, ShardDispatchGate gate, int numberOfShards)
    {
        ArgumentNullException.ThrowIfNull(entities);
        ArgumentNullException.ThrowIfNull(gate);
        _entities = entities;
        _gate = gate;
        _numberOfShards = numberOfShards;
    }

    /// <inheritdoc />
    public Task StopEntitiesAsync(IReadOnlySet<int> shards, TimeSpan cancelAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
        {
            return Task.CompletedTask;
        }

        _gate.WaitUntilQuiet(shards);
        return _entities.StopEntitiesWithNoticeAsync(key => shards.Contains(ShardHash.ShardOf(key, _numberOfShards)), cancelAfter, cancellationToken);
    }
}
