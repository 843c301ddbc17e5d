namespace ActorHost.Cluster.Coordination;

/// <summary>Self-fencing: stop serving a shard when its local deadline passes without a renewal.</summary>
public sealed partial class ClusterNode
{
    /// <summary>
    /// Runs at the earliest deadline. <see cref="Route"/> already answers "fenced" from the deadline alone;
    /// this makes it official: marks the shards fenced, logs once per episode and raises
    /// <see cref="ClusterEventKind.Fenced"/>. The next successful tick ends the episode.
    /// </summary>
    /// <remarks>
    /// The entities are kept, not stopped: while fenced they receive nothing, and if the next renewal finds
    /// the lease still ours (same epoch: nobody else can have held it in between) they go on with their
    /// state — a tick that was merely late (CPU starvation, a long GC) costs a moment of 503s, not the
    /// entities. Only when the lease turns out to be taken (the tick sees another owner or a new epoch) are
    /// they stopped, as a lost shard.
    /// </remarks>
    private void OnFencingDeadline()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        var fenced = new List<int>();
        bool firstOfEpisode = false;
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            for (int shard = 0; shard < _table.Count; shard++)
            {
                ShardEntry e = _table[shard];
                if (e.Owner == NodeId && !e.Fenced && !e.HandingOff && now >= e.ServeUntil)
                {
                    _table[shard] = e with { Fenced = true };
                    fenced.Add(shard);
                }
            }

            if (fenced.Count > 0)
            {
                firstOfEpisode = !_fencedEpisode;
                _fencedEpisode = true;
                _table.Publish();
            }

            RescheduleFencing();
        }

        if (fenced.Count == 0)
        {
            return;
        }

        if (firstOfEpisode)
        {
            ClusterLog.SelfFenced(_logger, NodeId, fenced.Count);
        }

        Raise(Event(ClusterEventKind.Fenced, NodeId, fenced, null, "could not renew the leases in time"));
    }

    /// <summary>Arms the fencing timer for the earliest deadline of the shards still served. Call under the gate.</summary>
    private void RescheduleFencing()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        long earliest = long.MaxValue;
        for (int shard = 0; shard < _table.Count; shard++)
        {
            ShardEntry e = _table[shard];
            if (e.Owner == NodeId && !e.Fenced && !e.HandingOff && e.ServeUntil < earliest)
            {
                earliest = e.ServeUntil;
            }
        }

        _fencing.Schedule(earliest);
    }
}
