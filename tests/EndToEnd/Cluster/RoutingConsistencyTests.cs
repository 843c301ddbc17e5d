using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>Any node accepts any request, and an entity lives on exactly one node: as if there were one node.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RoutingConsistencyTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Thousand_entities_hit_through_random_nodes_count_and_answer_as_if_there_were_one_node()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 3, "routing");
        LeaseSnapshot before = await cluster.Leases.ReadAsync();
        var clock = Stopwatch.StartNew();
        Dictionary<string, int> recordsBeforeLoad = ClusterEvents.Mark(cluster.Nodes);

        // 1,000 entities, 1 to 3 increments each, every request through a random node, 32 in flight.
        string[] keys = [.. Enumerable.Range(0, 1000).Select(i => "r" + i.ToString(CultureInfo.InvariantCulture))];
        var expected = keys.ToDictionary(k => k, k => 1 + (int)(ulong.Parse(k[1..], CultureInfo.InvariantCulture) % 3));
        string[] operations = [.. keys.SelectMany(k => Enumerable.Repeat(k, expected[k])).OrderBy(_ => Random.Shared.Next())];
        var increments = new ConcurrentBag<CounterAnswer>();
        await Parallel.ForEachAsync(operations, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (key, _) =>
            increments.Add(await CounterClient.IncrementAsync(cluster.Http, cluster.Nodes[Random.Shared.Next(cluster.Nodes.Count)], key, clock)));

        // Then every entity read through a random node.
        var reads = new ConcurrentBag<CounterAnswer>();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (key, _) =>
            reads.Add(await CounterClient.ReadAsync(cluster.Http, cluster.Nodes[Random.Shared.Next(cluster.Nodes.Count)], key, clock)));
        LeaseSnapshot after = await cluster.Leases.ReadAsync();

        // The database stayed up: no node may have fenced while the requests ran (its shards would have answered 503).
        // Right after the start, before any request, a node starved of CPU may fence for a moment and recover alone:
        // that is the loaded machine, not routing, so only what the nodes logged from the first request on counts.
        ClusterEvents.AssertNoSelfFencing(cluster.Nodes, "any node during the requests (the database stayed up)", recordsBeforeLoad);
        CounterAnswer[] failedIncrements = [.. increments.Where(a => !a.Ok)];
        Assert.True(failedIncrements.Length == 0, $"{failedIncrements.Length} increments failed, e.g. {string.Join("; ", failedIncrements.Take(5))}");
        Assert.True(reads.All(r => r.Ok), $"reads failed: {string.Join("; ", reads.Where(r => !r.Ok).Take(5))}");
        var wrongCounts = reads.Where(r => r.Count != expected[r.Key]).ToList();
        Assert.True(wrongCounts.Count == 0, $"{wrongCounts.Count} entities hold a different count than they were incremented, e.g. "
            + string.Join("; ", wrongCounts.Take(5).Select(r => $"{r} expected {expected[r.Key]}")));
        var incarnations = increments.Concat(reads).GroupBy(a => a.Key).Where(g => g.Select(a => a.Incarnation).Distinct().Count() > 1).ToList();
        Assert.True(incarnations.Count == 0, $"{incarnations.Count} entities answered with more than one incarnation, e.g. "
            + string.Join("; ", incarnations.Take(3).Select(g => string.Join(", ", g))));

        // Each increment's count is unique per entity (1..n): no two workers counted the same entity.
        var duplicates = increments.GroupBy(a => a.Key).Where(g => g.Select(a => a.Count).Distinct().Count() != g.Count()).ToList();
        Assert.True(duplicates.Count == 0, $"entities that counted twice to the same number: {string.Join("; ", duplicates.Take(3).Select(g => string.Join(", ", g)))}");

        // Every shard has exactly one owner with a valid lease, the allocation did not move during the test,
        // and all three nodes took part (so requests really were forwarded).
        string[] winners = ExpectedAllocation.Winners(TestCluster.NumberOfShards, cluster.NodeIds);
        Assert.True(after.Matches(winners), after.ToString());
        Assert.Equal(before.Shards.Select(s => (s.Owner, s.Epoch)), after.Shards.Select(s => (s.Owner, s.Epoch)));
        Assert.All(cluster.NodeIds, id => Assert.NotEmpty(after.ShardsOf(id)));
        int forwarded = increments.Count(a => after.Shards[TestCluster.ShardOf(a.Key)].Owner != a.ReceivedBy);
        Assert.True(forwarded > operations.Length / 3, $"only {forwarded} of {operations.Length} increments went through a non-owner");

        // Each node is ready, and its management view of the shards is the lease table's, from its own side.
        foreach (ClusterNodeProcess node in cluster.Nodes)
        {
            Assert.Equal(HttpStatusCode.OK, await cluster.ReadyAsync(node));
            using JsonDocument view = JsonDocument.Parse(await cluster.Http.GetStringAsync(new Uri(node.Management, "/cluster/shards")));
            Assert.Equal(node.NodeId, view.RootElement.GetProperty("selfNode").GetString());
            Assert.Equal(TestCluster.NumberOfShards, view.RootElement.GetProperty("numberOfShards").GetInt32());
            foreach (JsonElement shard in view.RootElement.GetProperty("shards").EnumerateArray())
            {
                ShardLease lease = after.Shards[shard.GetProperty("shard").GetInt32()];
                Assert.Equal(lease.Owner, shard.GetProperty("owner").GetString());
                Assert.Equal(lease.Owner == node.NodeId ? "serving" : "remote", shard.GetProperty("state").GetString());
            }
        }

        // One request-finished line per request a node handled: each public request on the node that received it,
        // and each forwarded one again on its owner (which served it).
        CounterAnswer[] all = [.. increments, .. reads];
        foreach (ClusterNodeProcess node in cluster.Nodes)
        {
            int received = all.Count(a => a.ReceivedBy == node.NodeId);
            int servedForOthers = all.Count(a => a.ReceivedBy != node.NodeId && after.Shards[TestCluster.ShardOf(a.Key)].Owner == node.NodeId);
            static bool IsCounter200(JsonElement r) => ClusterEvents.Is(r, ClusterEvents.RequestFinished)
                && GatewayProcess.State(r, "Path")?.StartsWith("/counter/", StringComparison.Ordinal) == true && GatewayProcess.State(r, "Status") == "200";

            // A line is written just after its response: wait for the expected number (each record meets the matcher once).
            int seen = 0;
            await node.Process.WaitForAsync(r => IsCounter200(r) && Interlocked.Increment(ref seen) >= received + servedForOthers, TimeSpan.FromSeconds(10))
                .ContinueWith(_ => { }, TaskScheduler.Default);
            int finished = node.Process.Records.Count(IsCounter200);
            cluster.Report($"{node.NodeId}: {received} public counter requests received, {servedForOthers} served for the other nodes, {finished} RequestFinished 200 lines, owns {after.ShardsOf(node.NodeId).Count()} shards");
            Assert.Equal(received + servedForOthers, finished);
        }

        cluster.Report($"{operations.Length} increments + {keys.Length} reads in {clock.Elapsed.TotalSeconds:F1}s, {forwarded} increments forwarded");
    }
}
