namespace ActorHost.Cluster.Coordination;

/// <summary>
/// What this node knows about one shard, immutable (replaced as a whole so readers never see half an update).
/// Times are local monotonic timestamps (<see cref="TimeProvider.GetTimestamp"/>), derived from the remaining
/// lease the database computed, counted from the moment before the read was sent.
/// </summary>
/// <param name="Shard">The shard.</param>
/// <param name="Owner">The lease holder as last read, or null.</param>
/// <param name="Epoch">Its fencing epoch.</param>
/// <param name="LeaseEnd">Local timestamp by which the lease has certainly not yet expired on the database clock
/// (0 when there is no lease).</param>
/// <param name="ServeUntil">For own shards: <paramref name="LeaseEnd"/> − fencing-margin, the local self-fencing deadline.</param>
/// <param name="OwnerAddress">The owner's advertised address, when it is a known member.</param>
/// <param name="OwnerDown">True when the owner is not a live member (heartbeat expired or row gone).</param>
/// <param name="HandingOff">True while this node stops the shard's entities to pass it on.</param>
/// <param name="Fenced">True when this node stopped serving the shard because its deadline passed unrenewed.</param>
internal sealed record ShardEntry(int Shard, string? Owner, long Epoch, long LeaseEnd, long ServeUntil, Uri? OwnerAddress, bool OwnerDown, bool HandingOff, bool Fenced)
{
    /// <summary>A shard nobody holds.</summary>
    public static ShardEntry Unowned(int shard, long epoch) => new(shard, null, epoch, 0, 0, null, false, false, false);
}

/// <summary>
/// The in-memory shard map the request path reads: one <see cref="ShardEntry"/> per shard behind a volatile
/// reference (lock-free reads; writers serialise elsewhere), and a signal completed at every publication so
/// waiters wake on any change.
/// </summary>
internal sealed class ShardTable
{
    private readonly ShardEntry[] _entries;
    private readonly string _self;
    private TaskCompletionSource _changed = NewSignal();

    public ShardTable(int numberOfShards, string self, Uri? selfAddress)
    {
        _entries = new ShardEntry[numberOfShards];
        for (int shard = 0; shard < numberOfShards; shard++)
        {
            _entries[shard] = ShardEntry.Unowned(shard, 0);
        }

        _self = self;
        SelfAddress = selfAddress;
    }

    /// <summary>This node's advertised address (set before the node starts; see <c>ClusterNode.StartAsync(Uri, …)</c>).</summary>
    public Uri? SelfAddress { get; set; }

    public int Count => _entries.Length;

    /// <summary>Completes at the next <see cref="Publish"/>; take it before reading a route to never miss a change.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public ShardEntry this[int shard]
    {
        get => Volatile.Read(ref _entries[shard]);
        set => Volatile.Write(ref _entries[shard], value);
    }

    /// <summary>Wakes everyone waiting on <see cref="Changed"/>.</summary>
    public void Publish() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    /// <summary>The route of <paramref name="shard"/> at local timestamp <paramref name="now"/>.</summary>
    public ShardRoute Route(int shard, long now)
    {
        ShardEntry e = this[shard];
        if (e.Owner is null)
        {
            return new ShardRoute(ShardRouteKind.Unavailable, shard, e.Epoch, null, null, "unowned");
        }

        if (e.Owner == _self)
        {
            if (e.HandingOff)
            {
                return new ShardRoute(ShardRouteKind.Unavailable, shard, e.Epoch, e.Owner, SelfAddress, "handing-off");
            }

            return e.Fenced || now >= e.ServeUntil
                ? new ShardRoute(ShardRouteKind.Unavailable, shard, e.Epoch, e.Owner, SelfAddress, "fenced")
                : new ShardRoute(ShardRouteKind.Local, shard, e.Epoch, e.Owner, SelfAddress, null);
        }

        return e.OwnerDown || e.OwnerAddress is null || now >= e.LeaseEnd
            ? new ShardRoute(ShardRouteKind.Unavailable, shard, e.Epoch, e.Owner, e.OwnerAddress, "owner-down")
            : new ShardRoute(ShardRouteKind.Remote, shard, e.Epoch, e.Owner, e.OwnerAddress, null);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
