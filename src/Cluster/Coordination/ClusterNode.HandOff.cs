using Npgsql;

namespace ActorHost.Cluster.Coordination;

/// <summary>Hand-off (rebalance and leave): stop the entities first, then pass the lease on with a new epoch.</summary>
public sealed partial class ClusterNode
{
    /// <summary>
    /// Graceful leave: marks the member leaving (others stop allocating to it), hands every shard it holds to
    /// its new owner (stop entities, then pass the lease on with a new epoch, or release it), and removes the
    /// member. Requests arriving meanwhile are routed to the new owners. Bounded by <paramref name="timeout"/>;
    /// when it runs out, the shards still held are stopped (at most <c>handoff-timeout</c>) and released, and
    /// the member is removed (at most <c>lease-duration</c>), so the whole call takes at most the sum.
    /// </summary>
    /// <param name="timeout">Upper bound.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task LeaveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Volatile.Read(ref _started) == 0)
        {
            throw new InvalidOperationException("The cluster node was not started.");
        }

        if (Volatile.Read(ref _left) || Status == MemberStatus.Leaving)
        {
            return;
        }

        long started = _time.GetTimestamp();
        Volatile.Write(ref _status, (int)MemberStatus.Leaving);
        using var bound = new CancellationTokenSource(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(bound.Token, cancellationToken, _stopping.Token);
        CancellationToken token = linked.Token;
        string? incomplete = null;
        try
        {
            await WriteStatusAsync(token);
            int held = OwnShards().Count;
            ClusterLog.LeaveStarted(_logger, NodeId, held);
            while (true)
            {
                await _handOff.WaitAsync(token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                token.ThrowIfCancellationRequested();
                List<HandOff> batch = PlanLeaveBatch();
                if (batch.Count == 0)
                {
                    break;
                }

                HandOffResult result = await HandOffAsync(batch, token);
                if (result.Moved < batch.Count)
                {
                    // Some leases changed under us (or the database failed): re-read before planning again.
                    await WaitForNextTickAsync(token);
                }
            }
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            incomplete = cancellationToken.IsCancellationRequested ? "cancelled" : $"timed out after {timeout}";
        }
        catch (Exception e) when (IsDatabaseFailure(e, token))
        {
            DatabaseFailed("leaving", e);
            incomplete = "database unreachable";
        }

        int remaining = await ReleaseAndRemoveAsync();
        if (incomplete is not null || remaining > 0)
        {
            ClusterLog.LeaveIncomplete(_logger, NodeId, incomplete ?? "leases changed meanwhile", remaining);
        }

        TimeSpan took = _time.GetElapsedTime(started);
        ClusterLog.LeaveCompleted(_logger, NodeId, took);
        Wake();
    }

    private List<int> OwnShards()
    {
        var own = new List<int>();
        for (int shard = 0; shard < _table.Count; shard++)
        {
            if (_table[shard].Owner == NodeId)
            {
                own.Add(shard);
            }
        }

        return own;
    }

    /// <summary>The next shards to pass on while leaving, each to its rendezvous winner among the other up members.</summary>
    private List<HandOff> PlanLeaveBatch()
    {
        lock (_gate)
        {
            IReadOnlyList<RendezvousAllocator.Candidate> others = [.. _memberSnapshot.Up.Where(c => c.NodeId != NodeId)];
            var batch = new List<HandOff>();
            for (int shard = 0; shard < _table.Count && batch.Count < _options.RebalanceBatch; shard++)
            {
                ShardEntry e = _table[shard];
                if (e.Owner == NodeId && !e.HandingOff)
                {
                    batch.Add(new HandOff(shard, e.Epoch, RendezvousAllocator.Winner(shard, others)));
                }
            }

            return batch;
        }
    }

    private void StartRebalance(List<HandOff> plan)
    {
        lock (_gate)
        {
            if (_rebalancing || Status != MemberStatus.Up || _stopping.IsCancellationRequested)
            {
                return;
            }

            _rebalancing = true;
            _handOff = Task.Run(async () =>
            {
                try
                {
                    await HandOffAsync(plan, _stopping.Token);
                }
                finally
                {
                    // Cleared before the wake-up, so the tick it triggers plans the next batch at once
                    // instead of a heartbeat later.
                    lock (_gate)
                    {
                        _rebalancing = false;
                    }

                    Wake();
                }
            }, CancellationToken.None);
        }
    }

    /// <summary>
    /// Hands <paramref name="requested"/> off: marks them handing-off (requests wait), stops each shard's entities
    /// with notice, and transfers each lease, conditionally on this node still holding it at the known epoch, once
    /// that shard's entities have stopped, never before: a shard whose entities keep running stays fenced here
    /// (requests wait, then 503) rather than being served by two nodes. Shards are stopped separately, so one busy
    /// entity holds back only its own shard. Database failures are logged and the shards not yet passed on kept
    /// (the caller retries); never throws them.
    /// </summary>
    private async Task<HandOffResult> HandOffAsync(List<HandOff> requested, CancellationToken ct)
    {
        await _handOffLock.WaitAsync(ct);
        try
        {
            var plan = new List<HandOff>(requested.Count);
            lock (_gate)
            {
                foreach (HandOff h in requested)
                {
                    ShardEntry e = _table[h.Shard];
                    if (e.Owner == NodeId && e.Epoch == h.Epoch && !e.HandingOff && _handingOff.Add(h.Shard))
                    {
                        _table[h.Shard] = e with { HandingOff = true };
                        plan.Add(h);
                    }
                }

                if (plan.Count == 0)
                {
                    return new HandOffResult(0);
                }

                _table.Publish();
            }

            long started = _time.GetTimestamp();
            var events = new List<ClusterEvent>();
            foreach (IGrouping<string?, HandOff> group in plan.GroupBy(h => h.Successor))
            {
                var shards = group.Select(h => h.Shard).ToList();
                string described = Describe(shards);
                ClusterLog.HandOffStarted(_logger, shards.Count, group.Key ?? "nobody (released)", described);
                events.Add(Event(ClusterEventKind.HandOffStarted, NodeId, shards, shards.Count == 1 ? group.First().Epoch : null, group.Key is null ? "releasing" : $"to {group.Key}"));
            }

            Raise(events);
            // A list, not a dictionary keyed by task: stops that complete at once may share one cached task.
            var stopping = plan.Select(h => (Stop: StopShardForHandOffAsync(h.Shard, ct), HandOff: h)).ToList();
            int moved = 0;
            try
            {
                while (stopping.Count > 0)
                {
                    await Task.WhenAny(stopping.Select(s => s.Stop));
                    ct.ThrowIfCancellationRequested();
                    var ready = new List<HandOff>();
                    for (int i = stopping.Count - 1; i >= 0; i--)
                    {
                        if (stopping[i].Stop.IsCompleted)
                        {
                            ready.Add(stopping[i].HandOff);
                            stopping.RemoveAt(i);
                        }
                    }

                    List<ShardRow>? rows = await TransferAsync(ready, ct);
                    if (rows is null)
                    {
                        // The database failed: what is not passed on yet is served here again (its entities
                        // restart on demand once stopped), and the caller plans again.
                        ReleaseHandingOff(plan);
                        return new HandOffResult(moved);
                    }

                    moved += rows.Count;
                    TimeSpan elapsed = _time.GetElapsedTime(started);
                    events.Clear();
                    foreach (IGrouping<string?, ShardRow> group in rows.GroupBy(r => r.Owner))
                    {
                        var shards = group.Select(r => r.Shard).ToList();
                        ClusterLog.HandOffCompleted(_logger, shards.Count, group.Key ?? "nobody (released)", elapsed);
                        events.Add(Event(ClusterEventKind.HandOffCompleted, NodeId, shards, shards.Count == 1 ? group.First().Epoch : null, group.Key is null ? "released" : $"to {group.Key}"));
                    }

                    Raise(events);
                    Wake();
                }
            }
            catch (OperationCanceledException)
            {
                ReleaseHandingOff(plan);
                throw;
            }

            return new HandOffResult(moved);
        }
        finally
        {
            _handOffLock.Release();
        }
    }

    /// <summary>
    /// Stops one shard's entities for a hand-off. Waits as long as they run: the lease must not move before they
    /// have stopped. Past <c>handoff-timeout</c> (the notice was ignored, then the cancellation) it says so once and
    /// keeps waiting, until they exit or are abandoned as stuck (the route's <c>stuck-after</c>). Never throws
    /// but when <paramref name="ct"/> is cancelled.
    /// </summary>
    private async Task StopShardForHandOffAsync(int shard, CancellationToken ct)
    {
        Task stop;
        try
        {
            stop = _entities.StopEntitiesAsync(new HashSet<int> { shard }, CancelAfter, ct);
            try
            {
                await stop.WaitAsync(_options.HandoffTimeout, _time, ct);
                return;
            }
            catch (TimeoutException)
            {
                ClusterLog.HandOffWaitsForEntities(_logger, shard, _options.HandoffTimeout);
            }

            await stop.WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever the worker runtime throws, the cluster goes on (and says so).
        catch (Exception e)
#pragma warning restore CA1031
        {
            // The runtime failed to stop them (it has terminated, say): nothing of it can still serve the shard.
            ClusterLog.StopEntitiesFailed(_logger, e, Describe([shard]), "hand-off");
        }
    }

    /// <summary>How long a handler may take to end after its entity was given notice before its request is cancelled.</summary>
    private TimeSpan CancelAfter => _options.HandoffTimeout / 2;

    /// <summary>
    /// Transfers the leases of <paramref name="ready"/> (their entities have stopped) under the tick lock;
    /// null when the database failed (logged).
    /// </summary>
    private async Task<List<ShardRow>?> TransferAsync(List<HandOff> ready, CancellationToken ct)
    {
        await _tickLock.WaitAsync(ct);
        try
        {
            // Under the tick lock: a tick that read the table before this transfer must not apply its
            // stale "still ours" after it (that would serve a shard already passed on).
            long t0 = _time.GetTimestamp();
            List<ShardRow> moved;
            try
            {
                await using NpgsqlConnection connection = await _dataSource!.OpenConnectionAsync(ct);
                await using var batch = new NpgsqlBatch(connection);
                batch.BatchCommands.Add(_leases.Transfer(NodeId, InstanceId, ready, _options.LeaseDuration));
                batch.BatchCommands.Add(_leases.Notify(NodeId));
                await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(ct);
                moved = await LeaseStore.ReadRowsAsync(reader, ct);
            }
            catch (Exception e) when (IsDatabaseFailure(e, ct))
            {
                ClusterLog.HandOffFailed(_logger, e, ready.Count);
                DatabaseFailed("handing off", e);
                return null;
            }

            lock (_gate)
            {
                MemberSnapshot members = _memberSnapshot;
                foreach (ShardRow row in moved)
                {
                    long leaseEnd = row.Remaining is { } r && r > TimeSpan.Zero ? t0 + ToTimestamp(r) : 0;
                    members.ById.TryGetValue(row.Owner ?? "", out MemberInfo? owner);
                    _table[row.Shard] = row.Owner is null
                        ? ShardEntry.Unowned(row.Shard, row.Epoch)
                        : new ShardEntry(row.Shard, row.Owner, row.Epoch, leaseEnd, 0, owner?.Address, !members.IsAlive(row.Owner), false, false);
                    _handingOff.Remove(row.Shard);
                }

                // Those not moved (their lease changed meanwhile) are served again, or re-read by the next tick.
                EndHandingOff(ready);
                _table.Publish();
                RescheduleFencing();
            }

            return moved;
        }
        finally
        {
            _tickLock.Release();
        }
    }

    /// <summary>Ends the hand-off of whatever in <paramref name="plan"/> was not passed on: served here again.</summary>
    private void ReleaseHandingOff(List<HandOff> plan)
    {
        lock (_gate)
        {
            EndHandingOff(plan);
            _table.Publish();
            RescheduleFencing();
        }
    }

    /// <summary>Clears the handing-off mark of shards still listed (not passed on): they are served again.</summary>
    private void EndHandingOff(List<HandOff> plan)
    {
        foreach (HandOff h in plan)
        {
            if (_handingOff.Remove(h.Shard) && _table[h.Shard] is { HandingOff: true } e)
            {
                _table[h.Shard] = e with { HandingOff = false };
            }
        }
    }

    /// <summary>
    /// End of leave: stops what is still held (bounded by handoff-timeout: entities that will not stop must
    /// not keep the leases forever), releases it, and removes the member row, all under the tick lock so no
    /// heartbeat re-registers the member afterwards (bounded by lease-duration). Returns how many leases
    /// were still held.
    /// </summary>
    private async Task<int> ReleaseAndRemoveAsync()
    {
        var remaining = new List<int>();
        lock (_gate)
        {
            foreach (int shard in OwnShards())
            {
                _handingOff.Add(shard);
                _table[shard] = _table[shard] with { HandingOff = true };
                remaining.Add(shard);
            }

            _table.Publish();
            RescheduleFencing();
        }

        if (remaining.Count > 0)
        {
            await StopEntitiesAsync(remaining.ToHashSet(), "leave", _options.HandoffTimeout, _stopping.Token);
        }

        using var cleanup = new CancellationTokenSource(_options.LeaseDuration, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cleanup.Token, _stopping.Token);
        CancellationToken ct = linked.Token;
        try
        {
            await _tickLock.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            Volatile.Write(ref _left, true);
            return remaining.Count;
        }

        try
        {
            Volatile.Write(ref _left, true);
            await using NpgsqlConnection connection = await _dataSource!.OpenConnectionAsync(ct);
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(_leases.ReleaseAll(NodeId, InstanceId));
            batch.BatchCommands.Add(_members.Remove(NodeId, InstanceId));
            batch.BatchCommands.Add(_leases.Notify(NodeId));
            await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(ct);
            List<ShardRow> released = await LeaseStore.ReadRowsAsync(reader, ct);
            lock (_gate)
            {
                foreach (ShardRow row in released)
                {
                    _table[row.Shard] = ShardEntry.Unowned(row.Shard, row.Epoch);
                    _handingOff.Remove(row.Shard);
                }

                _table.Publish();
            }
        }
        catch (Exception e) when (IsDatabaseFailure(e, CancellationToken.None))
        {
            // The leases expire by themselves and the member row goes down; the entities are stopped already.
            DatabaseFailed("removing the member", e);
        }
        finally
        {
            _tickLock.Release();
        }

        return remaining.Count;
    }

    /// <summary>Waits until a tick that starts after this call has finished (bounded by the lease).</summary>
    private async Task WaitForNextTickAsync(CancellationToken ct)
    {
        Task next = Volatile.Read(ref _nextTick).Task;
        Wake();
        try
        {
            await next.WaitAsync(_options.LeaseDuration, _time, ct);
        }
        catch (TimeoutException)
        {
            // The database is slow; the caller's own bound decides what happens next.
        }
    }

    private void StopEntitiesInBackground(List<int> shards, string reason)
    {
        var set = shards.ToHashSet();
        CancellationToken stopping = _stopping.Token;
        _ = Task.Run(() => StopEntitiesAsync(set, reason, _options.HandoffTimeout, stopping), CancellationToken.None);
    }

    /// <summary>Stops the shards' entities, bounded by <paramref name="bound"/>; failures are logged, never thrown.</summary>
    private async Task StopEntitiesAsync(HashSet<int> shards, string reason, TimeSpan bound, CancellationToken ct)
    {
        using var limit = new CancellationTokenSource(bound <= TimeSpan.Zero ? TimeSpan.FromSeconds(1) : bound, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, ct);
        try
        {
            await _entities.StopEntitiesAsync(shards, CancelAfter, linked.Token);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down or the caller gave up.
        }
#pragma warning disable CA1031 // Whatever the worker runtime throws, the cluster goes on (and says so).
        catch (Exception e)
#pragma warning restore CA1031
        {
            string described = Describe([.. shards]);
            ClusterLog.StopEntitiesFailed(_logger, e, described, reason);
        }
    }

    /// <summary>How a hand-off batch went.</summary>
    /// <param name="Moved">How many leases were passed on or released.</param>
    private readonly record struct HandOffResult(int Moved);
}
