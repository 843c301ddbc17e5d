using System.Collections.Concurrent;
using System.Threading.Channels;
using ActorHost.Cluster.Coordination;

namespace ActorHost.Cluster.Tests.Forwarding.Support;

/// <summary>One call of <see cref="IShardDirectory.WaitForRouteAsync"/>, answered by the test.</summary>
public sealed class WaitCall(int shard, ShardRoute? avoid, TimeSpan timeout, CancellationToken token)
{
    private readonly TaskCompletionSource<ShardRoute> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Shard { get; } = shard;

    public ShardRoute? Avoid { get; } = avoid;

    public string? AvoidOwner => Avoid?.OwnerNodeId;

    public TimeSpan Timeout { get; } = timeout;

    public CancellationToken Token { get; } = token;

    public Task<ShardRoute> Answer => _answer.Task;

    public void Release(ShardRoute route) => _answer.TrySetResult(route);
}

/// <summary>
/// Shard ownership as the test dictates: <see cref="Current"/> is what <c>Route</c> says, <see cref="OnRefresh"/>
/// what a refresh reads, and every wait for a route is handed to the test (<see cref="NextWaitAsync"/>) to answer.
/// </summary>
public sealed class FakeShardDirectory : IShardDirectory
{
    private readonly Channel<WaitCall> _waits = Channel.CreateUnbounded<WaitCall>();
    private readonly ConcurrentQueue<ShardRoute> _refreshed = new();
    private int _routeCalls;

    public string NodeId => "sender-1";

    public int NumberOfShards => 16;

    /// <summary>What <see cref="Route"/> answers for a shard.</summary>
    public Func<int, ShardRoute> Current { get; set; } = shard => new ShardRoute(ShardRouteKind.Local, shard, 1, "sender-1", null, null);

    public int RouteCalls => Volatile.Read(ref _routeCalls);

    public ConcurrentQueue<int> Refreshes { get; } = new();

    public ConcurrentQueue<WaitCall> Waits { get; } = new();

    /// <summary>Queues what the next <see cref="RefreshAsync"/> reads (otherwise it reads <see cref="Current"/>).</summary>
    public void OnRefresh(ShardRoute route) => _refreshed.Enqueue(route);

    public int ShardOf(string entityKey) => ShardHash.ShardOf(entityKey, NumberOfShards);

    public ShardRoute Route(int shard)
    {
        Interlocked.Increment(ref _routeCalls);
        return Current(shard);
    }

    public ValueTask<ShardRoute> RefreshAsync(int shard, CancellationToken cancellationToken)
    {
        Refreshes.Enqueue(shard);
        return ValueTask.FromResult(_refreshed.TryDequeue(out ShardRoute route) ? route : Current(shard));
    }

    public async ValueTask<ShardRoute> WaitForRouteAsync(int shard, ShardRoute? avoid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var call = new WaitCall(shard, avoid, timeout, cancellationToken);
        Waits.Enqueue(call);
        await _waits.Writer.WriteAsync(call, cancellationToken);
        return await call.Answer.WaitAsync(cancellationToken);
    }

    /// <summary>The next wait for a route (now or when it comes).</summary>
    public async Task<WaitCall> NextWaitAsync() => await _waits.Reader.ReadAsync().AsTask().WaitAsync(Forward.Guard);
}
