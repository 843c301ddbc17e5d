namespace ActorHost.Cluster.Forwarding;

/// <summary>
/// Counts local dispatches in progress per shard: from the moment the request path decides "this shard is
/// local" to the moment the request is in the route supervisor's mailbox. Stopping a shard's entities waits
/// for the count to reach zero (after the shard stopped routing locally), so no request that saw the old
/// decision can reach the supervisor after the stop and bring an entity back on a node that gave it up.
/// </summary>
public sealed class ShardDispatchGate
{
    private readonly int[] _inProgress;

    /// <summary>Creates a gate for <paramref name="numberOfShards"/> shards.</summary>
    /// <param name="numberOfShards">The cluster's number of shards.</param>
    public ShardDispatchGate(int numberOfShards) => _inProgress = new int[numberOfShards];

    /// <summary>Marks a dispatch of <paramref name="shard"/> as started.</summary>
    /// <param name="shard">The shard.</param>
    public void Enter(int shard) => Interlocked.Increment(ref _inProgress[shard]);

    /// <summary>Marks a dispatch of <paramref name="shard"/> as handed to the runtime.</summary>
    /// <param name="shard">The shard.</param>
    public void Exit(int shard) => Interlocked.Decrement(ref _inProgress[shard]);

    /// <summary>Waits until no dispatch of any of <paramref name="shards"/> is in progress (a window of nanoseconds).</summary>
    /// <param name="shards">The shards.</param>
    public void WaitUntilQuiet(IReadOnlySet<int> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        foreach (int shard in shards)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _inProgress[shard]) != 0)
            {
                spin.SpinOnce();
            }
        }
    }
}
