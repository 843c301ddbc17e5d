using ActorHost.Cluster.Coordination;

namespace ActorHost.Gateway.Tests.Management;

/// <summary>
/// A stand-in for the cluster node (no PostgreSQL): a test sets the members, the shard leases and whether
/// this node is up, and raises <see cref="ClusterEvent"/>s as the node would. Three nodes by default,
/// <c>node-a</c> (self), <c>node-b</c> and <c>node-c</c>, with the shards spread round-robin.
/// Also linked into the dashboard tests.
/// </summary>
public sealed class FakeClusterView : IClusterView
{
    private static readonly DateTimeOffset Started = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private volatile IReadOnlyList<ClusterMemberView> _members;
    private volatile IReadOnlyList<ShardLeaseView> _shards;
    private volatile bool _isUp = true;
    private volatile int _subscribers;
    private Action<ClusterEvent>? _changed;

    public FakeClusterView(int numberOfShards = 12)
    {
        NumberOfShards = numberOfShards;
        string[] owners = ["node-a", "node-b", "node-c"];
        _shards = [.. Enumerable.Range(0, numberOfShards).Select(s => Lease(s, owners[s % owners.Length], epoch: 1))];
        _members =
        [
            new ClusterMemberView("node-a", "http://10.0.0.1:9081", MemberStatus.Up, Started, TimeSpan.FromMilliseconds(120), ShardsOf("node-a"), IsSelf: true),
            new ClusterMemberView("node-b", "http://10.0.0.2:9081", MemberStatus.Up, Started.AddSeconds(1), TimeSpan.FromMilliseconds(340), ShardsOf("node-b"), IsSelf: false),
            new ClusterMemberView("node-c", "http://10.0.0.3:9081", MemberStatus.Down, Started.AddSeconds(2), TimeSpan.FromMilliseconds(7250), ShardsOf("node-c"), IsSelf: false),
        ];
    }

    public string NodeId => "node-a";

    public MemberStatus Status { get; set; } = MemberStatus.Up;

    public bool IsUp
    {
        get => _isUp;
        set => _isUp = value;
    }

    public bool IsDisplaced { get; set; }

    public bool IsDatabaseUnreachable { get; set; }

    public int NumberOfShards { get; }

    public IReadOnlyList<ClusterMemberView> Members
    {
        get => _members;
        set => _members = value;
    }

    public IReadOnlyList<ShardLeaseView> Shards
    {
        get => _shards;
        set => _shards = value;
    }

    /// <summary>How many handlers are subscribed to <see cref="Changed"/> right now.</summary>
    public int Subscribers => _subscribers;

    public event Action<ClusterEvent>? Changed
    {
        add
        {
            _changed += value;
            Interlocked.Increment(ref _subscribers);
        }

        remove
        {
            _changed -= value;
            Interlocked.Decrement(ref _subscribers);
        }
    }

    /// <summary>The lease as this node (<c>node-a</c>) sees it: serving its own, remote otherwise, unowned without owner.</summary>
    public static ShardLeaseView Lease(int shard, string? owner, long epoch, string? state = null) =>
        new(shard, owner, epoch, TimeSpan.FromMilliseconds(4200), state ?? (owner is null ? "unowned" : owner == "node-a" ? "serving" : "remote"));

    /// <summary>Replaces one shard's lease.</summary>
    public void SetShard(ShardLeaseView lease) =>
        Shards = [.. Shards.Select(s => s.Shard == lease.Shard ? lease : s)];

    /// <summary>Raises <see cref="Changed"/> as the node's background loop would.</summary>
    public void Raise(ClusterEvent change) => _changed?.Invoke(change);

    private int ShardsOf(string node) => _shards.Count(s => s.OwnerNodeId == node);
}
