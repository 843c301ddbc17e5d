using ActorHost.Cluster.Coordination;
using ActorHost.Cluster.Tests.Postgres;
using ActorHost.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace ActorHost.Cluster.Tests.Coordination;

[Collection(PostgresCollection.Name)]
public sealed class ChurnTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Under_joins_leaves_and_crashes_no_shard_is_ever_local_on_two_nodes_and_epochs_only_grow()
    {
        await using var cluster = await TestCluster.CreateAsync(postgres.Server, numberOfShards: 32);
        var violations = new List<string>();
        var lastEpoch = new Dictionary<(string Node, int Shard), long>();
        long samples = 0;
        using var stop = new CancellationTokenSource();
        Task sampler = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                IReadOnlyList<TestNode> nodes = cluster.Live;
                for (int shard = 0; shard < cluster.NumberOfShards; shard++)
                {
                    // Each node is read twice around the others (a, b, c, c, b, a): a node Local at both of its
                    // reads brackets every other node's reads, so two such nodes were Local at the same moment.
                    var first = nodes.Select(n => n.Node.Route(shard)).ToArray();
                    var second = nodes.Reverse().Select(n => n.Node.Route(shard)).Reverse().ToArray();
                    int bothLocal = Enumerable.Range(0, nodes.Count).Count(i => first[i].Kind == ShardRouteKind.Local && second[i].Kind == ShardRouteKind.Local);
                    if (bothLocal > 1)
                    {
                        lock (violations)
                        {
                            violations.Add($"shard {shard} local on {bothLocal} nodes");
                        }
                    }

                    for (int i = 0; i < nodes.Count; i++)
                    {
                        foreach (ShardRoute route in new[] { first[i], second[i] })
                        {
                            var key = (nodes[i].Id, shard);
                            if (lastEpoch.TryGetValue(key, out long seen) && route.Epoch < seen)
                            {
                                lock (violations)
                                {
                                    violations.Add($"{nodes[i].Id} saw shard {shard} go from epoch {seen} to {route.Epoch}");
                                }
                            }

                            lastEpoch[key] = Math.Max(seen, route.Epoch);
                        }
                    }
                }

                samples++;
            }
        });

        TestNode a = await cluster.StartNodeAsync("node-a");
        TestNode b = await cluster.StartNodeAsync("node-b");
        await cluster.WaitUntilAsync(() => cluster.Agree(a, b), "a and b agree");
        TestNode c = await cluster.StartNodeAsync("node-c");
        await cluster.WaitUntilAsync(() => cluster.Agree(a, b, c), "a, b and c agree");
        await b.Node.LeaveAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        TestNode d = await cluster.StartNodeAsync("node-d");
        await cluster.WaitUntilAsync(() => cluster.Agree(a, c, d), "a, c and d agree");
        await cluster.CrashAsync(c);
        await cluster.WaitUntilAsync(() => cluster.Agree(a, d), "a and d agree");

        await stop.CancelAsync();
        await sampler;
        output.WriteLine($"{samples} sampling rounds over {cluster.NumberOfShards} shards");
        Assert.True(samples > 10);
        Assert.Empty(violations);
        var leases = await cluster.ReadLeasesAsync();
        Assert.All(leases, l => Assert.Contains(l.Owner, new[] { "node-a", "node-d" }));
        Assert.All(leases, l => Assert.True(l.Epoch >= 1));
    }
}
