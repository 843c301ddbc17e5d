using System.Globalization;
using System.Net;
using ActorHost.Cluster;
using Xunit.Abstractions;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// A database of its own on the collection's PostgreSQL server and N gateway processes configured as one cluster
/// with short timings (heartbeat 250 ms, failure-timeout and lease-duration 3 s, fencing-margin 750 ms,
/// handoff-timeout 5 s): a node self-fences only after its ticks stalled for over 2 s, which even a test
/// machine busy with the rest of the suite does not do. Disposing it ends the processes and writes their logs next to each other.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public const int NumberOfShards = 100;
    public const string Schema = "actorhost";
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan FailureTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan FencingMargin = TimeSpan.FromMilliseconds(750);
    public static readonly TimeSpan HandoffTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A request longer than this is a hang: a shard without owner answers 503 after handoff-timeout.</summary>
    public static readonly TimeSpan RequestGuard = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan JoinGuard = TimeSpan.FromSeconds(60);
    private readonly ITestOutputHelper _output;
    private readonly List<ClusterNodeProcess> _nodes = [];
    private readonly List<ClusterNodeProcess> _others = [];

    private TestCluster(ITestOutputHelper output, string connectionString, string secret, string logDirectory)
    {
        _output = output;
        ConnectionString = connectionString;
        Secret = secret;
        LogDirectory = logDirectory;
        Leases = new LeaseTable(connectionString, Schema);
        Http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 512 })
        {
            Timeout = RequestGuard,
        };
    }

    public string ConnectionString { get; }

    public string Secret { get; }

    public string LogDirectory { get; }

    public LeaseTable Leases { get; }

    /// <summary>For public requests to any node (absolute URIs).</summary>
    public HttpClient Http { get; }

    public IReadOnlyList<ClusterNodeProcess> Nodes => _nodes;

    public IEnumerable<string> NodeIds => _nodes.Select(n => n.NodeId);

    public ClusterNodeProcess this[string nodeId] => _nodes.Single(n => n.NodeId == nodeId);

    /// <summary>
    /// Creates a fresh database, starts <paramref name="size"/> nodes at once, waits until each has joined and
    /// the lease table holds the allocation the rendezvous rule gives for all of them.
    /// </summary>
    public static async Task<TestCluster> StartAsync(PostgresFixture postgres, ITestOutputHelper output, int size, string name)
    {
        string connectionString = await postgres.Server.CreateDatabaseAsync();
        string logs = Path.Combine(Path.GetTempPath(), "actorhost-cluster-e2e", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "-" + name);
        var cluster = new TestCluster(output, connectionString, "e2e-cluster-secret-" + Guid.NewGuid().ToString("N"), logs);
        try
        {
            for (int i = 1; i <= size; i++)
            {
                cluster._nodes.Add(ClusterNodeProcess.Start("node-" + i.ToString(CultureInfo.InvariantCulture), cluster.Settings(), logs));
            }

            await Task.WhenAll(cluster._nodes.Select(n => n.WaitJoinedAsync(JoinGuard)));
            await cluster.WaitForAllocationAsync(cluster.NodeIds, TimeSpan.FromSeconds(30));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts one more process with the id of a node already running (a copied configuration): it is not one of
    /// <see cref="Nodes"/>, writes its log under <c>same-id/</c>, and is ended with the cluster.
    /// </summary>
    public async Task<ClusterNodeProcess> StartSameIdAsync(string nodeId)
    {
        ClusterNodeProcess other = ClusterNodeProcess.Start(nodeId, Settings(), Path.Combine(LogDirectory, "same-id"));
        _others.Add(other);
        await other.WaitJoinedAsync(JoinGuard);
        return other;
    }

    /// <summary>Starts one more node with a new id (a node joining a running cluster) and waits until it has joined.</summary>
    public async Task<ClusterNodeProcess> JoinAsync(string nodeId)
    {
        ClusterNodeProcess node = ClusterNodeProcess.Start(nodeId, Settings(), LogDirectory);
        _nodes.Add(node);
        await node.WaitJoinedAsync(JoinGuard);
        return node;
    }

    /// <summary>Waits until every shard is held by the member the rendezvous rule picks among <paramref name="members"/>.</summary>
    public Task<LeaseSnapshot> WaitForAllocationAsync(IEnumerable<string> members, TimeSpan timeout)
    {
        string[] list = [.. members];
        string[] winners = ExpectedAllocation.Winners(NumberOfShards, list);
        return Leases.WaitUntilAsync(s => s.Matches(winners), $"allocation over {string.Join(", ", list)}", timeout);
    }

    public static int ShardOf(string key) => ShardHash.ShardOf(key, NumberOfShards);

    /// <summary>One key per shard (<paramref name="prefix"/> + a number), so a load touches every shard.</summary>
    public static string[] OneKeyPerShard(string prefix)
    {
        var keys = new string?[NumberOfShards];
        int found = 0;
        for (int n = 0; found < NumberOfShards; n++)
        {
            string key = prefix + n.ToString(CultureInfo.InvariantCulture);
            int shard = ShardOf(key);
            if (keys[shard] is null)
            {
                keys[shard] = key;
                found++;
            }
        }

        return keys!;
    }

    /// <summary>A public-gateway URI on <paramref name="node"/>.</summary>
    public static Uri On(ClusterNodeProcess node, string pathAndQuery) => new(node.Gateway, pathAndQuery);

    public async Task<HttpStatusCode> ReadyAsync(ClusterNodeProcess node)
    {
        using HttpResponseMessage ready = await Http.GetAsync(new Uri(node.Management, "/ready"));
        return ready.StatusCode;
    }

    /// <summary>Writes a line to the test output (figures the test measured).</summary>
    public void Report(string line) => _output.WriteLine(line);

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_nodes.Concat(_others).Select(n => n.DisposeAsync().AsTask()));
        Http.Dispose();
        _output.WriteLine($"node logs: {LogDirectory}");
    }

    // Derived from the constants above, so the tests' expectations and the nodes' settings cannot drift apart.
    private string Settings() => $"""
        enabled = on
        connection-string = "{ConnectionString}"
        schema = {Schema}
        number-of-shards = {NumberOfShards.ToString(CultureInfo.InvariantCulture)}
        secret = "{Secret}"
        heartbeat-interval = {Ms(HeartbeatInterval)}
        failure-timeout = {Ms(FailureTimeout)}
        lease-duration = {Ms(LeaseDuration)}
        fencing-margin = {Ms(FencingMargin)}
        handoff-timeout = {Ms(HandoffTimeout)}
        """;

    private static string Ms(TimeSpan duration) => ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
}
