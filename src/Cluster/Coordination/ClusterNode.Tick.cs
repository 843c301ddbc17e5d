using Npgsql;

namespace ActorHost.Cluster.Coordination;

/// <summary>The heartbeat loop: one tick = heartbeat, renew, read members and leases, apply, claim.</summary>
public sealed partial class ClusterNode
{
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            long started = _time.GetTimestamp();
            try
            {
                await TickAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must survive anything; the next tick retries.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ClusterLog.CoordinatorFault(_logger, e);
            }

            // Wait for the next heartbeat (counted from this tick's start, so renewals keep their period
            // whatever a tick costs), or for a wake-up: a NOTIFY, an own change, a refresh.
            TimeSpan wait = _options.HeartbeatInterval - _time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                using var timeout = new CancellationTokenSource(wait, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
                try
                {
                    await _wake.Reader.ReadAsync(linked.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The heartbeat period elapsed.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            else
            {
                _wake.Reader.TryRead(out _);
            }
        }
    }

    /// <summary>One tick; false when the database could not be reached (logged, rate-limited).</summary>
    private async Task<bool> TickAsync(CancellationToken cancellationToken)
    {
        // Whoever asked for a refresh before this point is answered by this tick.
        TaskCompletionSource done = Interlocked.Exchange(ref _nextTick, NewSignal());
        try
        {
            return await TickCoreAsync(cancellationToken);
        }
        finally
        {
            done.TrySetResult();
        }
    }

    private async Task<bool> TickCoreAsync(CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(_options.LeaseDuration, _time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        CancellationToken ct = bounded.Token;
        TickPlan? plan = null;
        bool displaced = false;
        try
        {
            await _tickLock.WaitAsync(cancellationToken);
            try
            {
                if (Volatile.Read(ref _schemaMissing))
                {
                    // Someone dropped the tables (or the schema): recreate them; the heartbeat re-registers.
                    await _schema.EnsureAsync(_dataSource!, NumberOfShards, ct);
                    Volatile.Write(ref _schemaMissing, false);
                }

                // t0 before anything is sent: every deadline derived from this read counts from here, which
                // is no later than the database's now() of the renewal, so local deadlines are never late.
                long t0 = _time.GetTimestamp();
                bool left = GaveUpNodeId;
                List<MemberRow> members;
                List<ShardRow> shards;
                await using (NpgsqlConnection connection = await _dataSource!.OpenConnectionAsync(ct))
                await using (var batch = new NpgsqlBatch(connection))
                {
                    if (!left)
                    {
                        batch.BatchCommands.Add(_members.Heartbeat(NodeId, Address, Status, InstanceId));
                        batch.BatchCommands.Add(_leases.Renew(NodeId, InstanceId, _options.LeaseDuration));
                    }

                    // Not right after an outage: every member's heartbeat is old then, the living ones' too.
                    bool collect = !Settling(t0);
                    if (collect)
                    {
                        batch.BatchCommands.Add(_members.CollectDead(DeadMemberRetention));
                    }

                    batch.BatchCommands.Add(_members.ReadAll());
                    batch.BatchCommands.Add(_leases.ReadAll());
                    await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(ct);
                    int skip = (left ? 0 : 2) + (collect ? 1 : 0);
                    if (!left)
                    {
                        // The heartbeat answers nothing once another process registered under this node id.
                        displaced = !await reader.ReadAsync(ct);
                    }

                    for (int i = 0; i < skip; i++)
                    {
                        while (await reader.ReadAsync(ct))
                        {
                        }

                        await reader.NextResultAsync(ct);
                    }

                    members = await MemberStore.ReadRowsAsync(reader, ct);
                    await reader.NextResultAsync(ct);
                    shards = await LeaseStore.ReadRowsAsync(reader, ct);
                }

                ClusterEvent? displacement = displaced ? Displace() : null;
                plan = Apply(t0, members, shards, left || displaced);
                if (displacement is not null)
                {
                    plan.Events.Insert(0, displacement);
                }

                if (plan.Claims.Count > 0)
                {
                    await ClaimAsync(plan.Claims, plan.Events, ct);
                }
            }
            finally
            {
                _tickLock.Release();
            }
        }
        catch (Exception e) when (IsDatabaseFailure(e, cancellationToken))
        {
            // What was applied before the failure (a read, then a failed claim) is still worth telling.
            if (plan is not null)
            {
                Raise(plan.Events);
            }

            if (e is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName })
            {
                Volatile.Write(ref _schemaMissing, true);
            }

            DatabaseFailed("heartbeat", e);
            return false;
        }

        // Raised here, after the tick lock is released: a subscriber may call back into the node.
        Raise(plan.Events);
        DatabaseSucceeded();
        if (plan.Rebalance.Count > 0)
        {
            StartRebalance(plan.Rebalance);
        }

        return true;
    }

    /// <summary>
    /// Marks this process displaced, once: another process registered under its node id, so it stops serving
    /// (the tick applies the read as if it had left), heartbeats, claims and renews nothing from now on (the
    /// database would refuse the leases anyway), and reports not ready. It never re-registers: two processes
    /// taking the id from each other would each serve in turn. Returns the event to raise, or null when it was
    /// displaced already.
    /// </summary>
    private ClusterEvent? Displace()
    {
        if (Interlocked.Exchange(ref _displaced, true))
        {
            return null;
        }

        int serving = 0;
        long now = _time.GetTimestamp();
        for (int shard = 0; shard < _table.Count; shard++)
        {
            if (_table.Route(shard, now).Kind == ShardRouteKind.Local)
            {
                serving++;
            }
        }

        ClusterLog.NodeDisplaced(_logger, NodeId, InstanceId, serving);
        return Event(ClusterEventKind.Displaced, NodeId, [], null, "another process registered with this node id");
    }

    /// <summary>The owner shown for a lease another process holds under this node id (not a member: unreachable).</summary>
    private string OtherInstanceOwner(string? instance) =>
        $"{NodeId} (another process{(string.IsNullOrEmpty(instance) ? "" : ", instance " + instance[..Math.Min(8, instance.Length)])})";

    /// <summary>Members dead this long that hold no lease are deleted, so crashed nodes do not linger forever.</summary>
    private TimeSpan DeadMemberRetention => TimeSpan.FromTicks(Math.Max(_options.FailureTimeout.Ticks * 12, TimeSpan.FromSeconds(10).Ticks));

    /// <summary>
    /// Applies one read to the shard table and the members; returns what to claim and hand off. When
    /// <paramref name="left"/> (left the cluster, or displaced by another process with this node id), nothing
    /// is served or claimed.
    /// </summary>
    private TickPlan Apply(long t0, List<MemberRow> memberRows, List<ShardRow> shardRows, bool left)
    {
        var events = new List<ClusterEvent>();
        var acquired = new List<int>();
        var lost = new List<int>();
        var claims = new List<int>();
        var rebalance = new List<HandOff>();
        long margin = ToTimestamp(_options.FencingMargin);
        bool recovered;
        int serving = 0;
        lock (_gate)
        {
            MemberSnapshot previous = _memberSnapshot;
            bool settling = Settling(t0);
            MemberSnapshot members = MemberSnapshot.From(memberRows, settling ? _options.FailureTimeout + _settleSlack : _options.FailureTimeout);
            foreach ((string nodeId, ClusterEventKind kind, string detail) in members.ChangesSince(previous))
            {
                events.Add(Event(kind, nodeId, [], null, detail));
                ClusterLog.MemberChanged(_logger, nodeId, detail);
            }

            Volatile.Write(ref _memberSnapshot, members);
            bool selfUp = !left && Status == MemberStatus.Up && members.ById.TryGetValue(NodeId, out MemberInfo? self) && self.Status == MemberStatus.Up;
            bool rebalancing = _rebalancing || Status != MemberStatus.Up;
            foreach (ShardRow row in shardRows)
            {
                if (row.Shard >= _table.Count)
                {
                    continue;
                }

                ShardEntry old = _table[row.Shard];
                long leaseEnd = row.Remaining is { } r && r > TimeSpan.Zero ? t0 + ToTimestamp(r) : 0;
                bool mine = row.Owner == NodeId && row.OwnerInstance == InstanceId;
                ShardEntry entry;
                if (mine && leaseEnd != 0 && !left)
                {
                    bool handingOff = _handingOff.Contains(row.Shard);
                    entry = new ShardEntry(row.Shard, NodeId, row.Epoch, leaseEnd, leaseEnd - margin, _table.SelfAddress, false, handingOff, false);
                    if (!handingOff && (old.Owner != NodeId || old.Epoch != row.Epoch))
                    {
                        acquired.Add(row.Shard);
                        if (old.Owner == NodeId && old.Fenced && old.ServeUntil != 0)
                        {
                            // Fenced, and the lease changed hands meanwhile (new epoch): the entities kept through
                            // the fencing may be stale — someone else may have served the shard in between.
                            lost.Add(row.Shard);
                        }
                    }

                    serving++;
                }
                else
                {
                    // Lost: it was ours with live entities (served, or fenced at its deadline — entities are kept
                    // through fencing) and is not any more. An entry that was never served has none.
                    bool hadEntities = !old.Fenced || old.ServeUntil != 0;
                    if (old.Owner == NodeId && hadEntities && !old.HandingOff && !_handingOff.Contains(row.Shard))
                    {
                        lost.Add(row.Shard);
                    }

                    if (row.Owner is null)
                    {
                        entry = ShardEntry.Unowned(row.Shard, row.Epoch);
                    }
                    else if (mine)
                    {
                        // Still ours in the table but not renewed (after leave or displacement, or expired): never served.
                        entry = new ShardEntry(row.Shard, NodeId, row.Epoch, leaseEnd, 0, null, false, _handingOff.Contains(row.Shard), true);
                    }
                    else if (row.Owner == NodeId)
                    {
                        // Held by another process under this node id (one that ran before this one, or still runs
                        // beside it): not this process's to serve, and not reachable as a member, so unavailable
                        // until that lease expires and this process claims the shard like any other node would.
                        entry = new ShardEntry(row.Shard, OtherInstanceOwner(row.OwnerInstance), row.Epoch, leaseEnd, 0, null, true, false, false);
                    }
                    else
                    {
                        members.ById.TryGetValue(row.Owner, out MemberInfo? owner);
                        entry = new ShardEntry(row.Shard, row.Owner, row.Epoch, leaseEnd, 0, owner?.Address, !members.IsAlive(row.Owner), false, false);
                    }
                }

                _table[row.Shard] = entry;
                if (!selfUp)
                {
                    continue;
                }

                string? winner = RendezvousAllocator.Winner(row.Shard, members.Up);
                if (winner == NodeId && !row.IsLeased)
                {
                    claims.Add(row.Shard);
                }
                else if (!rebalancing && winner is not null && winner != NodeId && entry.Owner == NodeId && !entry.HandingOff && !entry.Fenced
                    && rebalance.Count < _options.RebalanceBatch && (!settling || HeartbeatsAgain(members, winner)))
                {
                    rebalance.Add(new HandOff(row.Shard, row.Epoch, winner));
                }
            }

            recovered = _fencedEpisode;
            _fencedEpisode = false;
            _table.Publish();
            RescheduleFencing();
        }

        if (acquired.Count > 0)
        {
            string described = Describe(acquired);
            ClusterLog.ShardsAcquired(_logger, NodeId, acquired.Count, described);
            events.Add(Event(ClusterEventKind.ShardAcquired, NodeId, acquired, acquired.Count == 1 ? _table[acquired[0]].Epoch : null, "acquired"));
        }

        if (recovered)
        {
            ClusterLog.Recovered(_logger, NodeId, serving);
            events.Add(Event(ClusterEventKind.Recovered, NodeId, [], null, $"serving {serving} shards"));
        }

        if (lost.Count > 0)
        {
            if (Volatile.Read(ref _displaced))
            {
                // The Critical NodeDisplaced line has said why; "taken after expiring" would not be true here.
                events.Add(Event(ClusterEventKind.ShardLost, NodeId, lost, null, "displaced by another process registered with this node id"));
                StopEntitiesInBackground(lost, "displaced");
            }
            else
            {
                ClusterLog.ShardsLost(_logger, NodeId, lost.Count, Describe(lost));
                events.Add(Event(ClusterEventKind.ShardLost, NodeId, lost, null, "lease taken by another node after it expired"));
                StopEntitiesInBackground(lost, "shard lost");
            }
        }

        return new TickPlan(claims, rebalance, events);
    }

    /// <summary>Claims shards this node wins that are unowned or expired, and announces the result.</summary>
    private async Task ClaimAsync(List<int> shards, List<ClusterEvent> events, CancellationToken ct)
    {
        long t0 = _time.GetTimestamp();
        List<ShardRow> claimed;
        await using (NpgsqlConnection connection = await _dataSource!.OpenConnectionAsync(ct))
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(_leases.Claim(NodeId, InstanceId, shards, _options.LeaseDuration));
            batch.BatchCommands.Add(_leases.Notify(NodeId));
            await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(ct);
            claimed = await LeaseStore.ReadRowsAsync(reader, ct);
        }

        if (claimed.Count == 0)
        {
            return;
        }

        long margin = ToTimestamp(_options.FencingMargin);
        var taken = new List<int>(claimed.Count);
        lock (_gate)
        {
            foreach (ShardRow row in claimed)
            {
                long leaseEnd = t0 + ToTimestamp(row.Remaining ?? TimeSpan.Zero);
                _table[row.Shard] = new ShardEntry(row.Shard, NodeId, row.Epoch, leaseEnd, leaseEnd - margin, _table.SelfAddress, false, false, false);
                taken.Add(row.Shard);
            }

            _table.Publish();
            RescheduleFencing();
        }

        string described = Describe(taken);
        ClusterLog.ShardsAcquired(_logger, NodeId, taken.Count, described);
        events.Add(Event(ClusterEventKind.ShardAcquired, NodeId, taken, taken.Count == 1 ? claimed[0].Epoch : null, "claimed"));
    }

    private async Task RegisterAsync(CancellationToken ct)
    {
        await using NpgsqlConnection connection = await _dataSource!.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(_members.Register(NodeId, Address, InstanceId));
        batch.BatchCommands.Add(_leases.Notify(NodeId));
        await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct) && !reader.IsDBNull(0))
        {
            var age = TimeSpan.FromSeconds(reader.GetDouble(0));
            if (age < _options.FailureTimeout)
            {
                ClusterLog.DuplicateNodeId(_logger, NodeId, age);
            }
        }
    }

    /// <summary>
    /// True once this process writes nothing more under its node id (no heartbeat, no renewal): it left, or another
    /// process took the id over. A displaced process must not heartbeat either: were the member row ever collected
    /// (the other process gone for long), its upsert would register it again, as an up member that never claims
    /// anything.
    /// </summary>
    private bool GaveUpNodeId => Volatile.Read(ref _left) || Volatile.Read(ref _displaced);

    /// <summary>Writes this node's status now (with a heartbeat) and tells the others.</summary>
    private async Task WriteStatusAsync(CancellationToken ct)
    {
        await _tickLock.WaitAsync(ct);
        try
        {
            if (GaveUpNodeId)
            {
                return;
            }

            await using NpgsqlConnection connection = await _dataSource!.OpenConnectionAsync(ct);
            await using var batch = new NpgsqlBatch(connection);
            // A heartbeat refused because another process took this node id over is found by the next tick.
            batch.BatchCommands.Add(_members.Heartbeat(NodeId, Address, Status, InstanceId));
            batch.BatchCommands.Add(_leases.Notify(NodeId));
            await batch.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            _tickLock.Release();
        }

        Wake();
    }

    /// <summary>Runs <paramref name="step"/> until it succeeds, logging failures (rate-limited) and retrying every heartbeat.</summary>
    private async Task RetryAsync(string operation, Func<CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await step(cancellationToken);
                DatabaseSucceeded();
                return;
            }
            catch (Exception e) when (IsDatabaseFailure(e, cancellationToken))
            {
                DatabaseFailed(operation, e);
            }

            // A retry back-off while the database is unreachable, not synchronisation.
            await Task.Delay(_options.HeartbeatInterval, _time, cancellationToken);
        }
    }

    private static bool IsDatabaseFailure(Exception e, CancellationToken cancellationToken) =>
        e is not ClusterConfigurationException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested) &&
        e is NpgsqlException or IOException or TimeoutException or OperationCanceledException or InvalidOperationException or System.Net.Sockets.SocketException;

    private void DatabaseFailed(string operation, Exception e)
    {
        // Idle pooled connections are most likely dead too (a restarted server): the next try opens a fresh one.
        _dataSource?.Clear();
        long now = _time.GetTimestamp();
        Interlocked.CompareExchange(ref _outageSince, now, 0);
        long last = Interlocked.Read(ref _lastErrorLog);
        if ((last == 0 || _time.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1)) && Interlocked.CompareExchange(ref _lastErrorLog, now, last) == last)
        {
            ClusterLog.DatabaseUnreachable(_logger, e, DescribeFailure(e), operation);
        }
    }

    /// <summary>"unreachable", or, when the server answered with an error, what it said (a deadlock, a permission, …).</summary>
    internal static string DescribeFailure(Exception e) =>
        e is PostgresException postgres
            ? $"refused the statement: SQLSTATE {postgres.SqlState} {postgres.MessageText}"
            : "unreachable";

    /// <summary>
    /// While settling, peers that have not heartbeated since the outage still count as up (this node does not claim
    /// the shards they win: they take those back themselves), but nothing is handed to them until they have: they
    /// may not come back.
    /// </summary>
    private bool HeartbeatsAgain(MemberSnapshot members, string nodeId) =>
        members.ById.TryGetValue(nodeId, out MemberInfo? member) && member.HeartbeatAge <= _options.FailureTimeout;

    /// <summary>
    /// True while this node is settling after a database outage of its own (and during that outage): until it
    /// has been reaching the database again for failure-timeout, heartbeat ages cannot tell a dead peer from one
    /// that, like this node, could not heartbeat. Meanwhile a peer is down only if its heartbeat is older than
    /// failure-timeout plus the outage (it was down before the outage began), and dead members are not collected.
    /// Called under <c>_gate</c> or not; reads only.
    /// </summary>
    private bool Settling(long now)
    {
        long since = Interlocked.Read(ref _outageSince);
        if (since != 0)
        {
            lock (_gate)
            {
                BeginSettling(since, now);
            }

            return true;
        }

        return now < Interlocked.Read(ref _settleUntil);
    }

    /// <summary>Under <c>_gate</c>: settling lasts until failure-timeout after <paramref name="now"/> and allows for the outage so far.</summary>
    private void BeginSettling(long outageSince, long now)
    {
        TimeSpan outage = _time.GetElapsedTime(outageSince, now);
        if (outage > _settleSlack || now >= Interlocked.Read(ref _settleUntil))
        {
            // A new outage after the last one settled starts its own allowance.
            _settleSlack = outage;
        }

        long until = now + ToTimestamp(_options.FailureTimeout);
        if (until > Interlocked.Read(ref _settleUntil))
        {
            Interlocked.Exchange(ref _settleUntil, until);
        }
    }

    private void DatabaseSucceeded()
    {
        long now = _time.GetTimestamp();
        Interlocked.Exchange(ref _lastSuccess, now);
        long since = Interlocked.Exchange(ref _outageSince, 0);
        if (since != 0)
        {
            lock (_gate)
            {
                BeginSettling(since, now);
            }

            TimeSpan outage = _time.GetElapsedTime(since, now);
            ClusterLog.DatabaseReachable(_logger, outage);
        }
    }

    private static string Describe(List<int> shards)
    {
        shards.Sort();
        return shards.Count <= 20 ? string.Join(",", shards) : string.Join(",", shards.Take(20)) + $",… ({shards.Count})";
    }

    /// <summary>What a tick decided to do after applying its read.</summary>
    private sealed record TickPlan(List<int> Claims, List<HandOff> Rebalance, List<ClusterEvent> Events);
}
