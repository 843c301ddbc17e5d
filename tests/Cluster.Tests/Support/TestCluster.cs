using ActorHost.Cluster.Coordination;
using ActorHost.Cluster.Tests.Postgres;
using Npgsql;

namespace ActorHost.Cluster.Tests.Support;

/// <summary>One node under test with its stand-in entities, its event probe and its log.</summary>
public sealed record TestNode(ClusterNode Node, RecordingEntities Entities, EventProbe Probe, CapturingLoggerFactory Logs, ClusterOptions Options)
{
    public string Id => Node.NodeId;
}

/// <summary>
/// In-process cluster nodes on a fresh database of the shared server, with fast settings, plus waits that
/// wake on the nodes' own change signals (every tick publishes one) instead of sleeping.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private readonly List<TestNode> _nodes = [];
    private readonly HashSet<ClusterNode> _stopped = [];
    private readonly Lock _gate = new();

    private TestCluster(PostgresServer server, string connectionString, int numberOfShards)
    {
        Server = server;
        ConnectionString = connectionString;
        NumberOfShards = numberOfShards;
    }

    public PostgresServer Server { get; }

    public string ConnectionString { get; }

    /// <summary>For the test's own reads and writes (see <see cref="PostgresServer.HelperConnectionSettings"/>).</summary>
    public string HelperConnectionString => ConnectionString + PostgresServer.HelperConnectionSettings;

    public int NumberOfShards { get; }

    public IReadOnlyList<TestNode> Live
    {
        get
        {
            lock (_gate)
            {
                return [.. _nodes.Where(n => !_stopped.Contains(n.Node))];
            }
        }
    }

    public static async Task<TestCluster> CreateAsync(PostgresServer server, int numberOfShards = 64) =>
        new(server, await server.CreateDatabaseAsync(), numberOfShards);

    /// <summary>Fast settings: heartbeat 200 ms, lease 1.5 s, failure-timeout 1.5 s, fencing margin 300 ms.</summary>
    public ClusterOptions Options(string nodeId) => new()
    {
        Enabled = true,
        NodeId = nodeId,
        ConnectionString = ConnectionString,
        NumberOfShards = NumberOfShards,
        AdvertiseUrl = new Uri($"http://{nodeId}.test:9000/"),
        Secret = new string('s', 32),
        HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        LeaseDuration = TimeSpan.FromMilliseconds(1500),
        FailureTimeout = TimeSpan.FromMilliseconds(1500),
        FencingMargin = TimeSpan.FromMilliseconds(300),
        HandoffTimeout = TimeSpan.FromSeconds(5),
        RebalanceBatch = 10,
    };

    public async Task<TestNode> StartNodeAsync(string nodeId, Func<ClusterOptions, ClusterOptions>? adjust = null)
    {
        ClusterOptions options = Options(nodeId);
        if (adjust is not null)
        {
            options = adjust(options);
        }

        var entities = new RecordingEntities();
        var logs = new CapturingLoggerFactory();
        var node = new ClusterNode(options, entities, logs);
        var probe = new EventProbe(node);
        var testNode = new TestNode(node, entities, probe, logs, options);
        lock (_gate)
        {
            _nodes.Add(testNode);
        }

        using var start = new CancellationTokenSource(Guard);
        await node.StartAsync(start.Token);
        return testNode;
    }

    /// <summary>Disposes the node without leaving, like a crash.</summary>
    public async Task CrashAsync(TestNode node)
    {
        lock (_gate)
        {
            _stopped.Add(node.Node);
        }

        node.Probe.Dispose();
        await node.Node.DisposeAsync();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking at every change any live node publishes.</summary>
    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? guard = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, guard);

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking at every change any live node publishes.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? guard = null)
    {
        var deadline = DateTime.UtcNow + (guard ?? Guard);
        while (!await condition())
        {
            Task[] signals = [.. Live.Select(n => n.Node.ChangeSignal)];
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || signals.Length == 0)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            try
            {
                await Task.WhenAny(signals).WaitAsync(left);
            }
            catch (TimeoutException)
            {
                // Re-checked (and reported) at the top.
            }
        }
    }

    /// <summary>
    /// True when every shard is Local on exactly the node rendezvous hashing picks among <paramref name="nodes"/>
    /// and every other one routes it Remote to that node's address: settled, agreed, nothing unavailable.
    /// </summary>
    public bool Agree(params TestNode[] nodes)
    {
        string?[] winners = RendezvousAllocator.Allocate(NumberOfShards, nodes.Select(n => n.Id));
        for (int shard = 0; shard < NumberOfShards; shard++)
        {
            ShardRoute[] routes = [.. nodes.Select(n => n.Node.Route(shard))];
            int local = Array.FindIndex(routes, r => r.Kind == ShardRouteKind.Local);
            if (local < 0 || routes.Count(r => r.Kind == ShardRouteKind.Local) != 1)
            {
                return false;
            }

            TestNode owner = nodes[local];
            if (owner.Id != winners[shard])
            {
                return false;
            }

            for (int i = 0; i < nodes.Length; i++)
            {
                if (i != local && (routes[i].Kind != ShardRouteKind.Remote || routes[i].OwnerNodeId != owner.Id || routes[i].OwnerAddress != owner.Options.AdvertiseUrl))
                {
                    return false;
                }
            }
        }

        return true;
    }

    public HashSet<int> LocalShards(TestNode node) =>
        [.. Enumerable.Range(0, NumberOfShards).Where(s => node.Node.Route(s).Kind == ShardRouteKind.Local)];

    /// <summary>The lease table as the database has it.</summary>
    public async Task<List<(int Shard, string? Owner, long Epoch)>> ReadLeasesAsync(string schema = "actorhost")
    {
        await using var connection = new NpgsqlConnection(HelperConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT shard, owner, epoch FROM \"{schema}\".shards ORDER BY shard", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, string?, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2)));
        }

        return rows;
    }

    public async Task<List<string>> ReadMemberIdsAsync(string schema = "actorhost")
    {
        await using var connection = new NpgsqlConnection(HelperConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT node_id FROM \"{schema}\".members ORDER BY node_id", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(HelperConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (TestNode node in Live)
        {
            node.Probe.Dispose();
            await node.Node.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
    }
}
