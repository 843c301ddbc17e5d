namespace ActorHost.Cluster.Coordination;

/// <summary>Self-fencing: stop serving a shard when its local deadline passes without a renewal.</summary>
public sealed partial class ClusterNode
{
    /// <summary>
    /// Runs at the earliest deadline. <see cref="Route"/> already answers "fenced" from the deadline alone;
    /// this makes it official: marks the shards fenced, logs once per episode, stops their entities and
    /// raises <see cref="ClusterEventKind.Fenced"/>. The next successful tick ends the episode.
    /// </summary>
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
        StopEntitiesInBackground(fenced, "self-fenced");
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
