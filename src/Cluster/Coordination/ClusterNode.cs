using Microsoft.Extensions.Logging;

namespace ActorHost.Cluster.Coordination;

/// <summary>
/// This process as a cluster member: registers in PostgreSQL, heartbeats, holds and renews shard leases
/// (with fencing epochs), self-fences when it cannot renew in time, hands shards off on leave and rebalance,
/// and keeps the in-memory shard map the request path reads (<see cref="IShardDirectory"/>).
/// </summary>
public sealed class ClusterNode : IShardDirectory, IClusterView, IAsyncDisposable
{
    /// <summary>Creates the node; nothing touches the database before <see cref="StartAsync"/>.</summary>
    /// <param name="options">The bound <c>actorhost.cluster</c> options (enabled).</param>
    /// <param name="entities">Stops local entity workers of shards this node stops serving.</param>
    /// <param name="loggerFactory">Logging (category <c>ActorHost.Cluster</c>).</param>
    /// <param name="timeProvider">Clock for timers and the local monotonic fencing deadline; null = system.</param>
    public ClusterNode(ClusterOptions options, IShardEntities entities, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(entities);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        NodeId = options.NodeId;
        NumberOfShards = options.NumberOfShards;
        throw new NotImplementedException("contract stub");
    }

    /// <inheritdoc />
    public string NodeId { get; }

    /// <inheritdoc />
    public int NumberOfShards { get; }

    /// <summary>This node's status (joining until the first successful read of the cluster, then up; leaving during <see cref="LeaveAsync"/>).</summary>
    public MemberStatus Status => throw new NotImplementedException();

    /// <summary>True while the node is up and its last heartbeat succeeded within <c>failure-timeout</c> (readiness).</summary>
    public bool IsUp => throw new NotImplementedException();

    /// <summary>The members as last read (for management and the dashboard).</summary>
    public IReadOnlyList<ClusterMemberView> Members => throw new NotImplementedException();

    /// <summary>Every shard's lease as last read, with this node's view of it.</summary>
    public IReadOnlyList<ShardLeaseView> Shards => throw new NotImplementedException();

    /// <summary>Raised (on a background thread, never under a lock) for every membership and ownership change this node sees.</summary>
    public event Action<ClusterEvent>? Changed;

    /// <summary>
    /// Creates the schema when missing, registers the member (joining), reads the cluster, becomes up and
    /// starts heartbeating, claiming and renewing. Retries while the database is unreachable (logging each
    /// failure) until <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="cancellationToken">Gives up.</param>
    public Task StartAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>
    /// Graceful leave: marks the member leaving (others stop allocating to it), hands every shard it holds to
    /// its new owner (stop entities, then pass the lease on with a new epoch, or release it), and removes the
    /// member. Requests arriving meanwhile are routed to the new owners. Bounded by <paramref name="timeout"/>.
    /// </summary>
    /// <param name="timeout">Upper bound.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public Task LeaveAsync(TimeSpan timeout, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <inheritdoc />
    public int ShardOf(string entityKey) => ShardHash.ShardOf(entityKey, NumberOfShards);

    /// <inheritdoc />
    public ShardRoute Route(int shard) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<ShardRoute> RefreshAsync(int shard, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<ShardRoute> WaitForRouteAsync(int shard, string? avoidOwner, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Stops the loops and closes connections without leaving (like a crash, for tests: leases simply expire).</summary>
    public ValueTask DisposeAsync() => throw new NotImplementedException();

    internal void Raise(ClusterEvent e) => Changed?.Invoke(e);
}
