using ActorHost.Cluster.Coordination;
using ActorHost.Cluster.Tests.Postgres;
using ActorHost.Cluster.Tests.Support;
using Microsoft.Extensions.Logging;

namespace ActorHost.Cluster.Tests.Coordination;

[Collection(PostgresCollection.Name)]
public sealed class LifecycleTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Nodes_starting_at_the_same_moment_on_an_empty_database_all_start_and_agree()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 32);

        TestNode[] nodes = await Task.WhenAll(
            Task.Run(() => cluster.StartNodeAsync("node-a")),
            Task.Run(() => cluster.StartNodeAsync("node-b")),
            Task.Run(() => cluster.StartNodeAsync("node-c")));

        await cluster.WaitUntilAsync(() => cluster.Agree(nodes), "three nodes agree");
        Assert.Equal(32, (await cluster.ReadLeasesAsync()).Count);
        Assert.Equal(["node-a", "node-b", "node-c"], await cluster.ReadMemberIdsAsync());
    }

    [Fact]
    public async Task A_node_joining_a_running_cluster_takes_no_table_lock_that_would_queue_behind_the_live_nodes()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 8);
        TestNode a = await cluster.StartNodeAsync("node-a");
        await cluster.WaitUntilAsync(() => cluster.Agree(a), "node-a serves every shard");

        // A live node's open statement holds ACCESS SHARE on both tables. Schema setup that took an exclusive lock
        // here (ALTER TABLE does, even when the column exists) would wait for it, and with a second statement of the
        // live node's also waiting, deadlock: the CI failure this test pins down.
        await using var reader = new Npgsql.NpgsqlConnection(cluster.HelperConnectionString);
        await reader.OpenAsync();
        await using Npgsql.NpgsqlTransaction open = await reader.BeginTransactionAsync();
        await using (var read = new Npgsql.NpgsqlCommand("SELECT (SELECT count(*) FROM actorhost.members), (SELECT count(*) FROM actorhost.shards)", reader, open))
        {
            await read.ExecuteScalarAsync();
        }

        TestNode b = await cluster.StartNodeAsync("node-b");

        await open.CommitAsync();
        await cluster.WaitUntilAsync(() => cluster.Agree(a, b), "two nodes agree");
        Assert.DoesNotContain(b.Logs.Lines, l => l.EventId.Id == 501);
    }

    [Fact]
    public void A_step_the_server_refuses_is_logged_as_refused_and_a_lost_connection_as_unreachable()
    {
        var deadlock = new Npgsql.PostgresException("deadlock detected", "ERROR", "ERROR", "40P01");

        Assert.Equal("refused the statement: SQLSTATE 40P01 deadlock detected", ClusterNode.DescribeFailure(deadlock));
        Assert.Equal("unreachable", ClusterNode.DescribeFailure(new Npgsql.NpgsqlException("Exception while connecting", new System.Net.Sockets.SocketException(111))));
        Assert.Equal("unreachable", ClusterNode.DescribeFailure(new TimeoutException()));
    }

    [Fact]
    public async Task The_last_node_leaving_releases_every_lease_and_removes_itself()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 8);
        TestNode a = await cluster.StartNodeAsync("node-a");
        await cluster.WaitUntilAsync(() => cluster.Agree(a), "node-a serves every shard");

        await a.Node.LeaveAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.All(await cluster.ReadLeasesAsync(), l => Assert.Equal((null, 2L), (l.Owner, l.Epoch)));
        Assert.Empty(await cluster.ReadMemberIdsAsync());
        Assert.Equal(Enumerable.Range(0, 8).ToHashSet(), a.Entities.StoppedShards);
        Assert.All(Enumerable.Range(0, 8), s => Assert.Equal((ShardRouteKind.Unavailable, "unowned"), (a.Node.Route(s).Kind, a.Node.Route(s).Reason)));
        Assert.Contains(a.Probe.Events, e => e.Kind == ClusterEventKind.HandOffCompleted && e.Detail == "released");
        Assert.DoesNotContain(a.Logs.Lines, l => l.EventId.Id == 514);
    }

    [Fact]
    public async Task A_leave_that_runs_out_of_time_stops_and_releases_what_remains_and_says_so()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 16);
        TestNode a = await cluster.StartNodeAsync("node-a");
        TestNode b = await cluster.StartNodeAsync("node-b", o => o with { HandoffTimeout = TimeSpan.FromMilliseconds(300) });
        await cluster.WaitUntilAsync(() => cluster.Agree(a, b), "a and b agree");
        // b's entities never finish stopping (a stuck PostStop): only the bounds end the wait.
        b.Entities.OnStop = (_, ct) => new TaskCompletionSource().Task.WaitAsync(ct);

        await b.Node.LeaveAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.Equal(["node-a"], await cluster.ReadMemberIdsAsync());
        Assert.DoesNotContain(await cluster.ReadLeasesAsync(), l => l.Owner == "node-b");
        CapturingLoggerFactory.LogLine line = Assert.Single(b.Logs.Lines, l => l.EventId.Id == 514);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains(b.Logs.Lines, l => l.EventId.Id == 510);
        await cluster.WaitUntilAsync(() => cluster.Agree(a), "node-a claims the released shards");
    }

    [Fact]
    public async Task A_throwing_Changed_handler_is_logged_and_the_node_goes_on()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 8);
        TestNode a = await cluster.StartNodeAsync("node-a");
        a.Node.Changed += _ => throw new InvalidOperationException("subscriber bug");

        TestNode b = await cluster.StartNodeAsync("node-b");

        await cluster.WaitUntilAsync(() => cluster.Agree(a, b), "a and b agree");
        Assert.Contains(a.Logs.Lines, l => l.EventId.Id == 518 && l.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Dropped_tables_are_recreated_and_the_shards_claimed_again()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 8);
        TestNode a = await cluster.StartNodeAsync("node-a");
        await cluster.WaitUntilAsync(() => cluster.Agree(a), "node-a serves every shard");

        await cluster.ExecuteAsync("DROP SCHEMA actorhost CASCADE");

        await a.Probe.WaitForAsync(e => e.Kind == ClusterEventKind.ShardLost, TestCluster.Guard);
        await cluster.WaitUntilAsync(async () => (await cluster.ReadLeasesAsync()).All(l => l.Owner == "node-a"), "node-a owns every shard again");
        await cluster.WaitUntilAsync(() => cluster.Agree(a), "node-a serves every shard again");
        Assert.Equal(["node-a"], await cluster.ReadMemberIdsAsync());
    }

    [Fact]
    public async Task Disposing_without_leaving_leaves_the_member_and_its_leases_in_place()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 4);
        TestNode a = await cluster.StartNodeAsync("node-a");
        await cluster.WaitUntilAsync(() => cluster.Agree(a), "node-a serves every shard");

        await cluster.CrashAsync(a);

        Assert.Equal(["node-a"], await cluster.ReadMemberIdsAsync());
        Assert.All(await cluster.ReadLeasesAsync(), l => Assert.Equal("node-a", l.Owner));
        Assert.Empty(a.Entities.Calls);
        await a.Node.DisposeAsync();
    }
}
