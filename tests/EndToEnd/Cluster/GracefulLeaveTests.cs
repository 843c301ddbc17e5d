using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>SIGTERM of a node under load: it hands its shards off and leaves, and nobody sees a failed request.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GracefulLeaveTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_of_a_node_under_load_hands_its_shards_off_with_zero_failed_requests_runs_stop_hooks_and_exits_0()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 3, "leave");
        ClusterNodeProcess leaver = cluster["node-2"];
        ClusterNodeProcess[] stayers = [.. cluster.Nodes.Where(n => n != leaver)];
        LeaseSnapshot allocation = await cluster.Leases.ReadAsync();
        int[] leaverShards = [.. allocation.ShardsOf(leaver.NodeId)];
        string[] keys = TestCluster.OneKeyPerShard("g");
        string[] leaverKeys = [.. keys.Where(k => leaverShards.Contains(TestCluster.ShardOf(k)))];
        string[] afterWinners = ExpectedAllocation.Winners(TestCluster.NumberOfShards, stayers.Select(n => n.NodeId));
        Assert.NotEmpty(leaverShards);

        var clock = Stopwatch.StartNew();
        DateTimeOffset clockStarted = DateTimeOffset.UtcNow;
        // From the load on, every request must succeed, so no node may fence (the database stays up); right after the
        // start, before any request, a node starved of CPU may fence for a moment and recover alone, which is not the test.
        Dictionary<string, int> recordsBeforeLoad = ClusterEvents.Mark(cluster.Nodes);
        await using EntityLoad load = EntityLoad.Start(cluster.Http, stayers, keys, clock);
        await load.WaitForEveryKeyAsync(3, TimeSpan.Zero, "every entity answered 3 times before the signal", TimeSpan.FromSeconds(30));
        await using LeaseSampler sampler = LeaseSampler.Start(cluster.Leases);
        await sampler.FirstSample.WaitAsync(TimeSpan.FromSeconds(10));

        int recordsBeforeSignal = leaver.Process.Records.Count;
        TimeSpan signalledAt = clock.Elapsed;
        TimeSpan signalledAtTable = cluster.Leases.Now;
        await leaver.Process.SignalAsync("TERM");
        int exit = await leaver.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        TimeSpan exitedAt = clock.Elapsed;
        LeaseSnapshot moved = await cluster.Leases.WaitUntilAsync(
            s => leaverShards.All(shard => s.IsHeldBy(shard, afterWinners[shard])), "the leaver's shards held by the others", TimeSpan.FromSeconds(10));
        await load.WaitForEveryKeyAsync(2, exitedAt, "every entity answered twice after the leaver exited", TimeSpan.FromSeconds(30));
        await load.StopAsync();
        IReadOnlyList<LeaseSnapshot> samples = await sampler.StopAsync();

        IReadOnlyList<CounterAnswer> answers = load.All;
        LeaseSnapshot? firstMoved = samples.FirstOrDefault(s => s.At >= signalledAtTable && leaverShards.All(shard => s.IsHeldBy(shard, afterWinners[shard])));
        TimeSpan handOff = (firstMoved ?? moved).At - signalledAtTable;
        cluster.Report($"SIGTERM to {leaver.NodeId} ({leaverShards.Length} shards, {leaverKeys.Length} loaded entities): exited {exit} after {(exitedAt - signalledAt).TotalSeconds:F2}s, "
            + $"shards held by the others after {handOff.TotalSeconds:F2}s; {answers.Count} answers, {answers.Count(a => !a.Ok)} not 200; "
            + $"slowest answer during the hand-off {answers.Where(a => a.Sent >= signalledAt && a.Sent <= exitedAt).Select(a => (a.Done - a.Sent).TotalMilliseconds).DefaultIfEmpty().Max():F0} ms");

        // Zero failed requests on the other nodes.
        CounterAnswer[] failed = [.. answers.Where(a => !a.Ok)];
        Assert.True(failed.Length == 0, $"{failed.Length} requests failed during the graceful leave: {string.Join("; ", failed.Take(10))}");
        Assert.Equal(0, exit);
        ClusterEvents.AssertNoSelfFencing(cluster.Nodes, "any node under the load (the database stayed up)", recordsBeforeLoad);

        // The hand-off is on record: leave started and completed, every shard handed off, nothing left to expire.
        Assert.Single(leaver.RecordsOf(ClusterEvents.LeaveStarted));
        Assert.Single(leaver.RecordsOf(ClusterEvents.LeaveCompleted));
        Assert.Empty(leaver.RecordsOf(ClusterEvents.LeaveIncomplete));
        Assert.Empty(leaver.RecordsOf(ClusterEvents.HandOffFailed));
        int handedOff = leaver.Process.Records.Skip(recordsBeforeSignal)
            .Where(r => ClusterEvents.Is(r, ClusterEvents.HandOffCompleted)).Sum(r => int.Parse(GatewayProcess.State(r, "Count")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(leaverShards.Length, handedOff);
        Assert.DoesNotContain(await cluster.Leases.MembersAsync(), m => m.NodeId == leaver.NodeId && m.Status != "leaving");

        // Ownership moved with higher epochs, only the leaver's shards moved, and they moved before its lease ran out
        // (a hand-off, not an expiry).
        IReadOnlyList<string> violations = LeaseSampler.EpochViolations(samples);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.All(allocation.Shards.Where(s => !leaverShards.Contains(s.Shard)), s => Assert.Equal((s.Owner, s.Epoch), (moved.Shards[s.Shard].Owner, moved.Shards[s.Shard].Epoch)));
        Assert.True(handOff < TestCluster.HandoffTimeout, $"the hand-off took {handOff.TotalSeconds:F2}s");

        // The leaver's entities ran their stop hooks (PostStop) before moving, then restarted fresh on the new owner;
        // everyone else's counted on without a break.
        string[] markers = [.. Directory.GetFiles(leaver.MarkerDirectory, "counter_*").Select(Path.GetFileName)!];
        foreach (string key in keys)
        {
            IReadOnlyList<CountRun> runs = CountRuns.Of(load.AnswersOf(key));
            string described = $"{key} (shard {TestCluster.ShardOf(key)}): {CountRuns.Describe(runs)}";
            JsonElement[] servedByLeaver = ClusterEvents.Increments(leaver, key);
            if (leaverKeys.Contains(key))
            {
                Assert.Contains($"counter_{key}_1.stopped", markers);
                // The leaver's log agrees (it received no public request, so each of its lines is one it served): it
                // served exactly the first run, and all of it before the new owner's first answer.
                Assert.True(servedByLeaver.Length == runs[0].Last - runs[0].First + 1, $"{key}: the leaver logged {servedByLeaver.Length} increments; " + described);
                Assert.All(servedByLeaver, r => Assert.True(ClusterEvents.Timestamp(r) <= clockStarted + runs[^1].Answered, $"{key}: the leaver served after the new owner answered: " + described));
                Assert.True(runs.Count == 2 && runs[0].First == 1 && runs[1].First == 1 && runs[1].Incarnation == 1,
                    "the leaver's entity counts from 1, then from 1 again on its new owner: " + described);
            }
            else
            {
                Assert.True(runs.Count == 1 && runs[0].First == 1, "an entity of the other nodes counts on without a break: " + described);
                Assert.Empty(servedByLeaver);
            }
        }
    }
}
