using System.Diagnostics;
using ActorHost.Cluster.Coordination;
using ActorHost.Cluster.Tests.Postgres;
using ActorHost.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace ActorHost.Cluster.Tests.Coordination;

[Collection(PostgresCollection.Name)]
public sealed class RoutingTests(PostgresFixture postgres, ITestOutputHelper output)
{
    /// <summary>
    /// Polling so slow that only NOTIFY can make a join visible within a test: without it node-b would see the
    /// transfers at its first heartbeat, 30 s after starting. A join measured against it keeps a wide margin even
    /// when a loaded machine slows node-b's start-up down by seconds.
    /// </summary>
    private static ClusterOptions SlowPolling(ClusterOptions o) => o with
    {
        HeartbeatInterval = TimeSpan.FromSeconds(30),
        LeaseDuration = TimeSpan.FromSeconds(72),
        FailureTimeout = TimeSpan.FromSeconds(60),
        FencingMargin = TimeSpan.FromSeconds(6),
    };

    /// <summary>"Much faster than the polling interval": half of it (a join with NOTIFY takes well under a second).</summary>
    private static TimeSpan MuchFasterThan(TimeSpan polling) => polling / 2;

    [Fact]
    public async Task Notify_propagates_a_hand_off_much_faster_than_the_polling_interval()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 32);
        TestNode a = await cluster.StartNodeAsync("node-a", SlowPolling);
        await cluster.WaitUntilAsync(() => cluster.Agree(a), "node-a serves every shard");

        var clock = Stopwatch.StartNew();
        TestNode b = await cluster.StartNodeAsync("node-b", SlowPolling);
        await cluster.WaitUntilAsync(() => cluster.Agree(a, b), "a and b agree");
        TimeSpan took = clock.Elapsed;

        output.WriteLine($"join + hand-off of {cluster.LocalShards(b).Count} shards visible on both nodes after {took.TotalMilliseconds:0} ms (heartbeat {b.Options.HeartbeatInterval.TotalMilliseconds:0} ms)");
        Assert.True(took < MuchFasterThan(b.Options.HeartbeatInterval), $"took {took.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task After_a_database_restart_the_listeners_reconnect_and_notify_propagates_again()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 16);
        TestNode a = await cluster.StartNodeAsync("node-a", SlowPolling);
        await cluster.WaitUntilAsync(() => cluster.Agree(a), "node-a serves every shard");
        await a.Logs.WaitForAsync(IsListening, TestCluster.Guard);
        int linesBeforeRestart = a.Logs.Mark();

        try
        {
            await postgres.Server.StopAsync();
        }
        finally
        {
            await postgres.Server.StartAsync();
        }

        // Waited for on the log line itself: the reconnection changes nothing in the shard table, and node-a's
        // first tick afterwards may fail on a pooled connection the restart cut, so no table change need follow
        // before the next heartbeat (30 s).
        await a.Logs.WaitForAsync(IsListening, TimeSpan.FromSeconds(30), linesBeforeRestart);
        var clock = Stopwatch.StartNew();
        TestNode b = await cluster.StartNodeAsync("node-b", SlowPolling);
        await cluster.WaitUntilAsync(() => cluster.Agree(a, b), "a and b agree");
        TimeSpan took = clock.Elapsed;

        output.WriteLine($"after a database restart, join + hand-off took {took.TotalMilliseconds:0} ms (heartbeat {b.Options.HeartbeatInterval.TotalMilliseconds:0} ms)");
        Assert.True(took < MuchFasterThan(b.Options.HeartbeatInterval), $"took {took.TotalMilliseconds:0} ms");
        Assert.True(a.Node.IsUp);
    }

    private static bool IsListening(CapturingLoggerFactory.LogLine line) => line.EventId.Id == 516;

    [Fact]
    public async Task WaitForRoute_returns_as_soon_as_a_handed_off_shard_has_its_new_owner_and_treats_an_avoided_owner_as_unavailable()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 8);
        TestNode a = await cluster.StartNodeAsync("node-a");
        await cluster.WaitUntilAsync(() => cluster.Agree(a), "node-a serves every shard");
        string?[] expected = RendezvousAllocator.Allocate(cluster.NumberOfShards, ["node-a", "node-b"]);
        int moving = Array.IndexOf(expected, "node-b");
        Assert.True(moving >= 0);

        // node-a's lease on the shard, read before node-b exists: by the time node-b has started, node-a may already
        // have released it, and a route read then would not name the lease node-b still sees.
        ShardRoute leaseOfA = a.Node.Route(moving);
        TestNode b = await cluster.StartNodeAsync("node-b");
        ShardRoute onB = await b.Node.WaitForRouteAsync(moving, leaseOfA, TimeSpan.FromSeconds(10), CancellationToken.None);
        ShardRoute onA = await a.Node.WaitForRouteAsync(moving, null, TimeSpan.FromSeconds(10), CancellationToken.None);
        await cluster.WaitUntilAsync(() => a.Node.Route(moving).Kind == ShardRouteKind.Remote, "node-a routes the moved shard to node-b");

        Assert.Equal((ShardRouteKind.Local, "node-b"), (onB.Kind, onB.OwnerNodeId));
        Assert.NotEqual(ShardRouteKind.Unavailable, onA.Kind);
        ShardRoute remote = a.Node.Route(moving);
        Assert.Equal(("node-b", b.Options.AdvertiseUrl), (remote.OwnerNodeId, remote.OwnerAddress));

        // A remote route to an owner the caller must avoid is no answer: the wait runs out and says so.
        int stays = Array.IndexOf(expected, "node-a");
        ShardRoute avoided = await b.Node.WaitForRouteAsync(stays, b.Node.Route(stays), TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.Equal((ShardRouteKind.Unavailable, "node-a"), (avoided.Kind, avoided.OwnerNodeId));
    }

    [Fact]
    public async Task RefreshAsync_reads_the_database_now()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 4);
        TestNode a = await cluster.StartNodeAsync("node-a", SlowPolling);
        await cluster.WaitUntilAsync(() => cluster.Agree(a), "node-a serves every shard");

        // Someone (an operator) frees shard 0 behind the node's back, without a NOTIFY.
        await cluster.ExecuteAsync("UPDATE actorhost.shards SET owner = 'elsewhere', epoch = epoch + 1, lease_until = now() + interval '1 minute' WHERE shard = 0");
        ShardRoute route = await a.Node.RefreshAsync(0, CancellationToken.None);

        Assert.Equal(("elsewhere", ShardRouteKind.Unavailable, "owner-down"), (route.OwnerNodeId, route.Kind, route.Reason));
        Assert.Contains(a.Probe.Events, e => e.Kind == ClusterEventKind.ShardLost && e.Shards.Contains(0));
        await a.Entities.WaitForAsync(stopped => stopped.Contains(0), TestCluster.Guard);
    }

    [Fact]
    public async Task Route_rejects_a_shard_out_of_range()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 4);
        TestNode a = await cluster.StartNodeAsync("node-a");

        Assert.Throws<ArgumentOutOfRangeException>(() => a.Node.Route(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Node.Route(-1));
    }

    [Fact]
    public async Task A_node_configured_with_a_different_number_of_shards_refuses_to_start()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 4);
        await cluster.StartNodeAsync("node-a");

        var e = await Assert.ThrowsAsync<ClusterConfigurationException>(() => cluster.StartNodeAsync("node-b", o => o with { NumberOfShards = 5 }));
        Assert.Contains("number-of-shards", e.Message, StringComparison.Ordinal);
    }
}
