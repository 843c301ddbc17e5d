using ActorHost.Cluster.Coordination;
using ActorHost.Cluster.Tests.Postgres;
using ActorHost.Cluster.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorHost.Cluster.Tests.Coordination;

/// <summary>
/// Two processes with the same node id (a copied configuration, or a restart that overlaps the old process) must
/// never serve the same shard: the one registered last displaces the other, which stops serving for good.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DuplicateNodeIdTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int NodeDisplacedEventId = 520;

    [Fact]
    public async Task A_second_process_with_the_same_node_id_displaces_the_first_and_their_leases_never_overlap()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 16);
        TestNode first = await cluster.StartNodeAsync("node-a");
        await cluster.WaitUntilAsync(() => cluster.Agree(first), "the first process serves every shard");
        LeaseHistory history = await LeaseHistory.StartAsync(cluster);
        await cluster.WaitUntilAsync(async () => (await history.ReadAsync()).Select(g => g.Shard).Distinct().Count() == cluster.NumberOfShards,
            "a renewal of every shard is recorded");

        TestNode second = await cluster.StartNodeAsync("node-a");
        Assert.NotEqual(first.Node.InstanceId, second.Node.InstanceId);

        await first.Probe.WaitForAsync(e => e.Kind == ClusterEventKind.Displaced, TestCluster.Guard);
        Assert.True(first.Node.IsDisplaced);
        Assert.False(first.Node.IsUp);
        Assert.DoesNotContain(first.Node.Members, m => m.IsSelf);
        Assert.All(Enumerable.Range(0, cluster.NumberOfShards), s => Assert.NotEqual(ShardRouteKind.Local, first.Node.Route(s).Kind));
        CapturingLoggerFactory.LogLine line = Assert.Single(first.Logs.Lines, l => l.EventId.Id == NodeDisplacedEventId);
        Assert.Equal(LogLevel.Critical, line.Level);
        Assert.Contains("another process registered with the same node id", line.Message, StringComparison.Ordinal);

        // The entities the first process kept are stopped: another process will serve those shards.
        await first.Entities.WaitForAsync(_ => first.Entities.StoppedShards.Count == cluster.NumberOfShards, TestCluster.Guard);

        await cluster.WaitUntilAsync(() => cluster.LocalShards(second).Count == cluster.NumberOfShards, "the second process serves every shard");
        Assert.True(second.Node.IsUp);
        Assert.False(second.Node.IsDisplaced);
        Assert.DoesNotContain(second.Logs.Lines, l => l.EventId.Id == NodeDisplacedEventId);

        // On the database's terms: the second process got each shard only after the first one's last lease on it
        // had expired. The first process stops serving a fencing margin before its lease expires, so at no moment
        // did both serve a shard.
        List<LeaseGrant> grants = await history.ReadAsync();
        for (int shard = 0; shard < cluster.NumberOfShards; shard++)
        {
            LeaseGrant[] ofShard = [.. grants.Where(g => g.Shard == shard)];
            DateTimeOffset firstHeldUntil = ofShard.Where(g => g.Instance == first.Node.InstanceId).Max(g => g.LeaseUntil);
            DateTimeOffset secondFrom = ofShard.Where(g => g.Instance == second.Node.InstanceId).Min(g => g.At);
            output.WriteLine($"shard {shard}: first held until {firstHeldUntil:O}, second from {secondFrom:O}");
            Assert.True(secondFrom > firstHeldUntil, $"shard {shard}: granted to the second process at {secondFrom:O}, before the first one's lease expired at {firstHeldUntil:O}");
        }

        // The displaced process leaving (SIGTERM) removes neither the second one's member row nor its leases.
        await first.Node.LeaveAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Contains("node-a", await cluster.ReadMemberIdsAsync());
        List<(int Shard, string? Owner, long Epoch)> leases = await cluster.ReadLeasesAsync();
        Assert.All(leases, l => Assert.Equal("node-a", l.Owner));
        Assert.Equal(cluster.NumberOfShards, cluster.LocalShards(second).Count);
    }

    [Fact]
    public async Task A_displaced_process_never_registers_again_even_when_the_member_row_is_gone()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 8);
        TestNode first = await cluster.StartNodeAsync("node-a");
        await cluster.WaitUntilAsync(() => cluster.Agree(first), "the first process serves every shard");
        TestNode second = await cluster.StartNodeAsync("node-a");
        await first.Probe.WaitForAsync(e => e.Kind == ClusterEventKind.Displaced, TestCluster.Guard);

        // The second process dies and its row is collected (as dead-member collection would, later on).
        await cluster.CrashAsync(second);
        await cluster.ExecuteAsync("DELETE FROM actorhost.members WHERE node_id = 'node-a'");

        // Three more ticks of the displaced process (each publishes its shard table): it re-registers nothing,
        // so no "up" node-a appears that would win shards and never claim them.
        for (int tick = 0; tick < 3; tick++)
        {
            await first.Node.ChangeSignal.WaitAsync(TestCluster.Guard);
        }

        Assert.DoesNotContain("node-a", await cluster.ReadMemberIdsAsync());
        Assert.True(first.Node.IsDisplaced);
        Assert.All(Enumerable.Range(0, cluster.NumberOfShards), s => Assert.NotEqual(ShardRouteKind.Local, first.Node.Route(s).Kind));
    }

    [Fact]
    public async Task A_process_restarted_with_the_same_node_id_after_a_crash_takes_the_shards_at_new_epochs()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 8);
        TestNode crashed = await cluster.StartNodeAsync("node-a");
        // node-b would take node-a's shards over if it saw node-a down; with a long failure-timeout it keeps seeing
        // node-a up across the restart, so the shards go back to node-a (and the test is about that, not a failover).
        TestNode other = await cluster.StartNodeAsync("node-b", o => o with { FailureTimeout = TimeSpan.FromSeconds(30) });
        await cluster.WaitUntilAsync(() => cluster.Agree(crashed, other), "the two nodes share the shards");
        Dictionary<int, long> before = (await cluster.ReadLeasesAsync()).ToDictionary(l => l.Shard, l => l.Epoch);
        int[] ofA = [.. Enumerable.Range(0, cluster.NumberOfShards).Where(s => other.Node.Route(s).OwnerNodeId == "node-a")];
        Assert.NotEmpty(ofA);
        ShardRoute misdirecting = other.Node.Route(ofA[0]);
        await cluster.CrashAsync(crashed);

        // It cannot tell a crashed predecessor from a live one, so it waits for the old leases to expire and
        // claims them (new epochs) instead of renewing them in place.
        TestNode restarted = await cluster.StartNodeAsync("node-a");

        // A sender that was told "not mine" by node-a at the old epoch takes node-a at the new one as the answer.
        ShardRoute next = await other.Node.WaitForRouteAsync(ofA[0], misdirecting, TestCluster.Guard, CancellationToken.None);
        Assert.Equal((ShardRouteKind.Remote, "node-a"), (next.Kind, next.OwnerNodeId));
        Assert.True(next.Epoch > misdirecting.Epoch, $"epoch {next.Epoch} after {misdirecting.Epoch}");

        await cluster.WaitUntilAsync(() => cluster.Agree(restarted, other), "the restarted process serves its shards again");
        List<(int Shard, string? Owner, long Epoch)> after = await cluster.ReadLeasesAsync();
        Assert.All(after.Where(l => ofA.Contains(l.Shard)), l => Assert.True(l.Epoch > before[l.Shard], $"shard {l.Shard} kept epoch {l.Epoch}"));
        Assert.DoesNotContain(restarted.Logs.Lines, l => l.EventId.Id == NodeDisplacedEventId);
    }

    [Fact]
    public async Task Tables_made_before_instances_existed_are_upgraded_in_place()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 4);
        // The tables as an earlier version created them, with a lease it left behind.
        await cluster.ExecuteAsync("""
            CREATE SCHEMA actorhost;
            CREATE TABLE actorhost.members (
                node_id text PRIMARY KEY, address text NOT NULL, started_at timestamptz NOT NULL,
                status text NOT NULL CHECK (status IN ('joining', 'up', 'leaving')), heartbeat_at timestamptz NOT NULL);
            CREATE TABLE actorhost.shards (shard integer PRIMARY KEY, owner text NULL, epoch bigint NOT NULL DEFAULT 0, lease_until timestamptz NULL);
            INSERT INTO actorhost.shards (shard) SELECT g FROM generate_series(0, 3) AS g;
            UPDATE actorhost.shards SET owner = 'node-old', epoch = 7, lease_until = now() - interval '1 minute' WHERE shard = 2;
            """);

        TestNode node = await cluster.StartNodeAsync("node-a");
        await cluster.WaitUntilAsync(() => cluster.Agree(node), "the node serves every shard");
        List<(int Shard, string? Owner, long Epoch)> leases = await cluster.ReadLeasesAsync();
        Assert.All(leases, l => Assert.Equal("node-a", l.Owner));
        Assert.Equal(8, leases.Single(l => l.Shard == 2).Epoch);
    }
}
