using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ActorHost.Cluster.Coordination;

/// <summary>
/// This process as a cluster member: registers in PostgreSQL, heartbeats, holds and renews shard leases
/// (with fencing epochs), self-fences when it cannot renew in time, hands shards off on leave and rebalance,
/// and keeps the in-memory shard map the request path reads (<see cref="IShardDirectory"/>).
/// </summary>
/// <remarks>
/// One background loop does all routine database work (a tick per heartbeat-interval, or at once when
/// another node NOTIFYs or this node changed something): heartbeat, renew, read members and leases, claim
/// the shards rendezvous hashing gives it, and start at most one rebalance hand-off batch at a time (the
/// hand-off runs beside the loop, so renewals never wait for entities to stop). Self-fencing runs on its own
/// timer so a loop stuck in a database call cannot delay it. The guarantee: at most one node serves a shard
/// at any moment, provided each node's monotonic clock runs at most fencing-margin slow over a lease
/// duration relative to the database's clock (pauses included, since they are measured, not assumed).
/// </remarks>
public sealed partial class ClusterNode : IShardDirectory, IClusterView, IAsyncDisposable
{
    /// <summary>Longer waits are clamped to this (Task.WaitAsync takes at most about 49 days).</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);
    private readonly ClusterOptions _options;
    private readonly IShardEntities _entities;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ClusterSchema _schema;
    private readonly MemberStore _members;
    private readonly LeaseStore _leases;
    private readonly ShardTable _table;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _tickLock = new(1, 1);
    private readonly SemaphoreSlim _handOffLock = new(1, 1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<int> _handingOff = [];
    private readonly FencingTimer _fencing;
    private NpgsqlDataSource? _dataSource;
    private NpgsqlDataSource? _listenSource;
    private ChangeListener? _listener;
    private MemberSnapshot _memberSnapshot = MemberSnapshot.Empty;
    private TaskCompletionSource _nextTick = NewSignal();
    private Task _loop = Task.CompletedTask;
    private Task _handOff = Task.CompletedTask;
    private int _status = (int)MemberStatus.Joining;
    private long _lastSuccess;
    private long _outageSince;
    private long _settleUntil;
    private TimeSpan _settleSlack;
    private long _lastErrorLog;
    private bool _fencedEpisode;
    private bool _displaced;
    private bool _left;
    private bool _schemaMissing;
    private bool _rebalancing;
    private int _started;
    private int _disposed;

    /// <summary>Creates the node; nothing touches the database before <see cref="StartAsync(CancellationToken)"/>.</summary>
    /// <param name="options">The bound <c>actorhost.cluster</c> options (enabled).</param>
    /// <param name="entities">Stops local entity workers of shards this node stops serving.</param>
    /// <param name="loggerFactory">Logging (category <c>ActorHost.Cluster</c>).</param>
    /// <param name="timeProvider">Clock for timers and the local monotonic fencing deadline; null = system.</param>
    public ClusterNode(ClusterOptions options, IShardEntities entities, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(entities);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (string.IsNullOrWhiteSpace(options.NodeId))
        {
            throw new ArgumentException("ClusterOptions.NodeId is required (the binder generates one when node-id is empty).", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("ClusterOptions.ConnectionString is required.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.NumberOfShards);
        if (options.HeartbeatInterval <= TimeSpan.Zero || options.LeaseDuration <= options.HeartbeatInterval + options.FencingMargin)
        {
            throw new ArgumentException("ClusterOptions: heartbeat-interval must be positive and lease-duration must exceed heartbeat-interval + fencing-margin.", nameof(options));
        }

        NodeId = options.NodeId;
        NumberOfShards = options.NumberOfShards;
        _options = options;
        _entities = entities;
        _logger = loggerFactory.CreateLogger(ClusterLog.Category);
        _time = timeProvider ?? TimeProvider.System;
        _schema = new ClusterSchema(options.Schema);
        _members = new MemberStore(_schema);
        _leases = new LeaseStore(_schema);
        _table = new ShardTable(options.NumberOfShards, NodeId, options.AdvertiseUrl);
        _fencing = new FencingTimer(_time, OnFencingDeadline);
    }

    /// <inheritdoc />
    public string NodeId { get; }

    /// <summary>
    /// This process's instance id, new for every <see cref="ClusterNode"/>: leases and the member row carry it, so
    /// a second process started with the same node id displaces this one instead of serving beside it.
    /// </summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>True once another process registered under this node id: this one serves nothing any more (see <see cref="ClusterEventKind.Displaced"/>).</summary>
    public bool IsDisplaced => Volatile.Read(ref _displaced);

    /// <inheritdoc />
    public int NumberOfShards { get; }

    /// <summary>This node's status (joining until the first successful read of the cluster, then up; leaving during <see cref="LeaveAsync"/>).</summary>
    public MemberStatus Status => (MemberStatus)Volatile.Read(ref _status);

    /// <summary>True while the node is up, not displaced, and its last heartbeat succeeded within <c>failure-timeout</c> (readiness).</summary>
    public bool IsUp =>
        Status == MemberStatus.Up && !IsDisplaced && Interlocked.Read(ref _lastSuccess) is var last && last != 0 &&
        _time.GetElapsedTime(last) < _options.FailureTimeout;

    /// <inheritdoc />
    public bool IsDatabaseUnreachable =>
        Status == MemberStatus.Up && !IsDisplaced && Interlocked.Read(ref _lastSuccess) is var last && last != 0 &&
        _time.GetElapsedTime(last) >= _options.FailureTimeout;

    /// <summary>The members as last read (for management and the dashboard).</summary>
    public IReadOnlyList<ClusterMemberView> Members
    {
        get
        {
            MemberSnapshot snapshot = Volatile.Read(ref _memberSnapshot);
            long now = _time.GetTimestamp();
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int shard = 0; shard < _table.Count; shard++)
            {
                ShardEntry e = _table[shard];
                if (e.Owner is not null && now < e.LeaseEnd)
                {
                    counts[e.Owner] = counts.GetValueOrDefault(e.Owner) + 1;
                }
            }

            // Once displaced, the row under this node id is the other process's, not this one's.
            bool displaced = IsDisplaced;
            return snapshot.All
                .Select(m => new ClusterMemberView(m.NodeId, m.AddressText, m.Status, m.StartedAt, m.HeartbeatAge, counts.GetValueOrDefault(m.NodeId), m.NodeId == NodeId && !displaced))
                .ToArray();
        }
    }

    /// <summary>Every shard's lease as last read, with this node's view of it.</summary>
    public IReadOnlyList<ShardLeaseView> Shards
    {
        get
        {
            long now = _time.GetTimestamp();
            var views = new ShardLeaseView[_table.Count];
            for (int shard = 0; shard < views.Length; shard++)
            {
                ShardEntry e = _table[shard];
                ShardRoute route = _table.Route(shard, now);
                TimeSpan remaining = e.LeaseEnd == 0 ? TimeSpan.Zero : _time.GetElapsedTime(now, e.LeaseEnd);
                string state = route.Kind switch
                {
                    ShardRouteKind.Local => "serving",
                    ShardRouteKind.Remote => "remote",
                    _ => route.Reason ?? "unowned",
                };
                views[shard] = new ShardLeaseView(shard, e.Owner, e.Epoch, remaining, state);
            }

            return views;
        }
    }

    /// <summary>Raised (on a background thread, never under a lock) for every membership and ownership change this node sees.</summary>
    public event Action<ClusterEvent>? Changed;

    /// <summary>
    /// Joins advertising <paramref name="advertiseUrl"/> instead of <c>advertise-url</c>: the address the internal
    /// listener really bound when <c>advertise-url</c> names port 0 (any free port).
    /// </summary>
    /// <param name="advertiseUrl">Where other nodes reach this node's internal listener.</param>
    /// <param name="cancellationToken">Gives up joining (the node can be disposed afterwards).</param>
    public Task StartAsync(Uri advertiseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(advertiseUrl);
        if (Volatile.Read(ref _started) != 0)
        {
            throw new InvalidOperationException("The cluster node was already started.");
        }

        _table.SelfAddress = advertiseUrl;
        return StartAsync(cancellationToken);
    }

    /// <summary>
    /// Creates the schema when missing, registers the member (joining), reads the cluster, becomes up and
    /// starts heartbeating, claiming and renewing. Retries while the database is unreachable (logging each
    /// failure) until <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="cancellationToken">Gives up.</param>
    /// <exception cref="ClusterConfigurationException">The database's cluster disagrees with this node's configuration.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The cluster node was already started.");
        }

        _dataSource = BuildDataSource(pooling: true);
        _listenSource = BuildDataSource(pooling: false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        CancellationToken token = linked.Token;

        await RetryAsync("creating the schema and registering", async ct =>
        {
            await _schema.EnsureAsync(_dataSource, NumberOfShards, ct);
            await RegisterAsync(ct);
        }, token);
        await RetryAsync("reading the cluster", async ct =>
        {
            if (!await TickAsync(ct))
            {
                throw new TimeoutException("the first read of the cluster did not complete");
            }
        }, token);
        Volatile.Write(ref _status, (int)MemberStatus.Up);
        await RetryAsync("marking the member up", WriteStatusAsync, token);
        token.ThrowIfCancellationRequested();
        int memberCount = Volatile.Read(ref _memberSnapshot).All.Count;
        ClusterLog.Joined(_logger, NodeId, Address, memberCount, NumberOfShards, _schema.Name);

        // Reconnect at least once a second: until it is back, changes arrive only with the heartbeat.
        TimeSpan reconnect = _options.HeartbeatInterval < TimeSpan.FromSeconds(1) ? _options.HeartbeatInterval : TimeSpan.FromSeconds(1);
        _listener = new ChangeListener(_listenSource, _schema, NodeId, Wake, reconnect, _time, _logger);
        _listener.Start();
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Completes at the next change of the shard table (every tick publishes); for tests that wait on the node.</summary>
    internal Task ChangeSignal => _table.Changed;

    /// <summary>The local monotonic timestamp until which this node may serve <paramref name="shard"/> (tests).</summary>
    internal long ServeUntil(int shard) => _table[shard].ServeUntil;

    /// <summary>The address this node advertises (kept by the shard table, which routes local shards to it).</summary>
    private string Address => _table.SelfAddress?.ToString() ?? "";

    /// <inheritdoc />
    public int ShardOf(string entityKey) => ShardHash.ShardOf(entityKey, NumberOfShards);

    /// <inheritdoc />
    public ShardRoute Route(int shard)
    {
        CheckShard(shard);
        return _table.Route(shard, _time.GetTimestamp());
    }

    /// <inheritdoc />
    public async ValueTask<ShardRoute> RefreshAsync(int shard, CancellationToken cancellationToken)
    {
        CheckShard(shard);
        if (Volatile.Read(ref _started) == 0 || _stopping.IsCancellationRequested)
        {
            return Route(shard);
        }

        // Waits for a whole tick that starts after this call (it re-reads every row and the members); many
        // concurrent refreshes share one tick. Bounded so a wedged database never holds a request forever.
        Task next = Volatile.Read(ref _nextTick).Task;
        Wake();
        try
        {
            await next.WaitAsync(_options.LeaseDuration, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The database is slow or gone: answer with what is known (fencing keeps that safe).
        }

        return Route(shard);
    }

    /// <inheritdoc />
    public async ValueTask<ShardRoute> WaitForRouteAsync(int shard, ShardRoute? avoid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        CheckShard(shard);
        bool forever = timeout == Timeout.InfiniteTimeSpan;
        long deadline = forever ? long.MaxValue : _time.GetTimestamp() + ToTimestamp(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout > MaxWait ? MaxWait : timeout);
        while (true)
        {
            Task changed = _table.Changed;
            long now = _time.GetTimestamp();
            ShardRoute route = _table.Route(shard, now);
            bool avoided = route.Kind == ShardRouteKind.Remote && route.IsSameLeaseAs(avoid);
            if (route.Kind == ShardRouteKind.Local || (route.Kind == ShardRouteKind.Remote && !avoided))
            {
                return route;
            }

            if (now >= deadline)
            {
                return avoided ? route with { Kind = ShardRouteKind.Unavailable, Reason = "owner-down" } : route;
            }

            try
            {
                await changed.WaitAsync(forever ? Timeout.InfiniteTimeSpan : _time.GetElapsedTime(now, deadline), _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Loop once more: the final answer is the route as it is now.
            }
        }
    }

    /// <summary>Stops the loops and closes connections without leaving (like a crash, for tests: leases simply expire).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _fencing.Dispose();
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _handOff.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_listenSource is not null)
        {
            await _listenSource.DisposeAsync();
        }

        Volatile.Read(ref _nextTick).TrySetResult();
        _table.Publish();
        // _stopping and the semaphores are deliberately not disposed: background entity stops and a
        // concurrent LeaveAsync may still touch them, and they hold nothing that needs releasing.
    }

    private void CheckShard(int shard)
    {
        if ((uint)shard >= (uint)NumberOfShards)
        {
            throw new ArgumentOutOfRangeException(nameof(shard), shard, $"A shard is between 0 and {NumberOfShards - 1}.");
        }
    }

    private NpgsqlDataSource BuildDataSource(bool pooling)
    {
        var builder = new NpgsqlDataSourceBuilder(_options.ConnectionString);
        // Bound every connect and statement by the lease: a tick that cannot finish within it is useless
        // anyway (fencing has taken over), and an unbounded wait would only delay the retry.
        int bound = Math.Max(1, (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds));
        builder.ConnectionStringBuilder.Timeout = Bounded(builder.ConnectionStringBuilder.Timeout, bound);
        builder.ConnectionStringBuilder.CommandTimeout = Bounded(builder.ConnectionStringBuilder.CommandTimeout, bound);
        builder.ConnectionStringBuilder.Pooling = pooling;
        if (!pooling)
        {
            // The listener's connection idles for long: keepalives reveal a dead server within a failure-timeout.
            builder.ConnectionStringBuilder.KeepAlive = Math.Max(1, (int)Math.Ceiling(_options.FailureTimeout.TotalSeconds));
        }

        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            string name = "actorhost-cluster " + NodeId;
            builder.ConnectionStringBuilder.ApplicationName = name.Length > 63 ? name[..63] : name;
        }

        return builder.Build();
    }

    // 0 means "no limit" to Npgsql, which is exactly what must not happen here.
    private static int Bounded(int seconds, int bound) => seconds <= 0 ? bound : Math.Min(seconds, bound);

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private void Wake() => _wake.Writer.TryWrite(true);

    private void Raise(List<ClusterEvent> events)
    {
        foreach (ClusterEvent e in events)
        {
            Raise(e);
        }
    }

    internal void Raise(ClusterEvent e)
    {
        try
        {
            Changed?.Invoke(e);
        }
#pragma warning disable CA1031 // A subscriber's bug must never stop the coordinator.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ClusterLog.ChangedHandlerFailed(_logger, ex, e.Kind);
        }
    }

    private ClusterEvent Event(ClusterEventKind kind, string nodeId, IReadOnlyList<int> shards, long? epoch, string? detail) =>
        new(kind, _time.GetUtcNow(), nodeId, shards, epoch, detail);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
