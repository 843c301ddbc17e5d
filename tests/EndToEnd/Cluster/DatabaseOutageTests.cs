using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// The coordination database goes away: every node stops serving its shards before its leases could expire for
/// anyone else (self-fencing), entity requests get 503, and when the database is back the nodes recover alone.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DatabaseOutageTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Database_stop_self_fences_every_node_on_schedule_and_database_start_recovers_them_without_a_restart()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 3, "db-outage");
        string[] keys = TestCluster.OneKeyPerShard("d");
        LeaseSnapshot allocation = await cluster.Leases.ReadAsync();
        var clock = Stopwatch.StartNew();
        // A node starved of CPU right after the start may fence for a moment and refuse with 503 + Retry-After;
        // such keys are retried as a client would, after the Retry-After, at most twice.
        List<(string Key, int Index)> pending = [.. keys.Select((k, i) => (k, i))];
        for (int attempt = 1; pending.Count > 0; attempt++)
        {
            CounterAnswer[] warm = await Task.WhenAll(pending.Select(p => CounterClient.IncrementAsync(cluster.Http, cluster.Nodes[p.Index % cluster.Nodes.Count], p.Key, clock)));
            Assert.True(warm.All(a => a.Ok || (a.Status == 503 && a.RetryAfter is not null && attempt < 3)), string.Join("; ", warm.Where(a => !a.Ok).Take(5)));
            int[] refused = [.. warm.Select((a, j) => a.Ok ? -1 : j).Where(j => j >= 0)];
            if (refused.Length > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(int.Parse(warm[refused[0]].RetryAfter!, System.Globalization.CultureInfo.InvariantCulture)));
            }

            pending = [.. refused.Select(j => pending[j])];
        }

        // Every lease renewal from here on is recorded on the database's clock, so that each node's self-fencing can be
        // measured from its own renewals rather than from when the test stopped the database: a node whose ticks ran
        // late just before the stop renewed earlier, and rightly fences earlier. Two renewals of each are on record first.
        LeaseRenewals renewals = await LeaseRenewals.StartAsync(cluster.ConnectionString, TestCluster.Schema);
        await renewals.WaitUntilAsync(r => cluster.NodeIds.All(id => r.Count(x => x.Owner == id) >= 2), "two renewals of every node recorded", TimeSpan.FromSeconds(20));

        // Only what the nodes log from here on counts (a node may have fenced before, e.g. starved of CPU).
        Dictionary<string, int> recordsBefore = ClusterEvents.Mark(cluster.Nodes);
        DateTimeOffset stopBegan = DateTimeOffset.UtcNow;
        bool restarted = false;
        try
        {
            await postgres.Server.StopAsync();
            DateTimeOffset stopped = DateTimeOffset.UtcNow;

            // Every node self-fences: not before its lease is nearly over, and before lease-duration after the database
            // went away (both checked below).
            JsonElement[] fenced = await Task.WhenAll(cluster.Nodes.Select(n => n.Process.WaitForAsync(r => ClusterEvents.Is(r, ClusterEvents.SelfFenced) && ClusterEvents.Timestamp(r) >= stopBegan, TimeSpan.FromSeconds(15))));
            DateTimeOffset[] fencedAt = [.. fenced.Select(r => ClusterEvents.Timestamp(r) ?? DateTimeOffset.UtcNow)];

            // Entity requests are refused with 503 + Retry-After through every node, for shards of every owner; pool
            // routes, which need no owner, still answer.
            string[] sample = [.. cluster.NodeIds.Select(id => keys.First(k => allocation.Shards[TestCluster.ShardOf(k)].Owner == id))];
            CounterAnswer[] during = await Task.WhenAll(cluster.Nodes.SelectMany(n => sample.Select(k => CounterClient.IncrementAsync(cluster.Http, n, k, clock))));
            using HttpResponseMessage echo = await cluster.Http.PostAsync(TestCluster.On(cluster.Nodes[0], "/echo"), new StringContent("pool routes stay local"));

            DateTimeOffset started = DateTimeOffset.UtcNow;
            await postgres.Server.StartAsync();
            restarted = true;
            JsonElement[] recovered = await Task.WhenAll(cluster.Nodes.Select(n => n.Process.WaitForAsync(r => ClusterEvents.Is(r, ClusterEvents.Recovered) && ClusterEvents.Timestamp(r) >= started, TimeSpan.FromSeconds(20))));
            DateTimeOffset[] recoveredAt = [.. recovered.Select(r => ClusterEvents.Timestamp(r) ?? DateTimeOffset.UtcNow)];
            await cluster.WaitForAllocationAsync(cluster.NodeIds, TimeSpan.FromSeconds(20));
            CounterAnswer[] after = await Task.WhenAll(keys.Select((k, i) => CounterClient.IncrementAsync(cluster.Http, cluster.Nodes[(i + 1) % cluster.Nodes.Count], k, clock)));

            TimeSpan[] fenceAfterStopBegan = [.. fencedAt.Select(t => t - stopBegan)];
            TimeSpan[] fenceAfterStopped = [.. fencedAt.Select(t => t - stopped)];
            cluster.Report($"database stop took {(stopped - stopBegan).TotalSeconds:F2}s; self-fenced {string.Join(", ", fenceAfterStopBegan.Select(t => t.TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}s after the stop began; "
                + $"recovered {string.Join(", ", recoveredAt.Select(t => (t - started).TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}s after the start began; "
                + $"during the outage: {string.Join("; ", during.Select(a => a.ToString()))}");

            // Not before its lease was nearly over, on the database's terms: each node's fencing deadline counts from the
            // start of the tick that got its last renewal before the stop, a tick that began after the renewal before it
            // had been granted, so it fenced no earlier than lease-duration − fencing-margin after that earlier renewal
            // (about a heartbeat before its last one, however late a loaded machine ran the ticks).
            IReadOnlyList<LeaseRenewal> renewed = await renewals.ReadAsync();
            for (int i = 0; i < cluster.Nodes.Count; i++)
            {
                string id = cluster.Nodes[i].NodeId;
                DateTimeOffset[] before = [.. renewed.Where(r => r.Owner == id && r.At < stopped).Select(r => r.At)];
                DateTimeOffset floor = before[^2] + TestCluster.LeaseDuration - TestCluster.FencingMargin;
                cluster.Report($"{id}: last renewal {(stopBegan - before[^1]).TotalSeconds:F2}s before the stop began, self-fenced {(fencedAt[i] - before[^1]).TotalSeconds:F2}s after it");
                Assert.True(fencedAt[i] >= floor, $"{id} self-fenced at {fencedAt[i]:O}, {(fencedAt[i] - before[^1]).TotalSeconds:F2}s after its last renewal ({before[^1]:O}): "
                    + $"earlier than lease-duration − fencing-margin after the renewal before it ({before[^2]:O})");
            }

            Assert.All(fenceAfterStopped, t => Assert.True(t < TestCluster.LeaseDuration, $"self-fenced {t.TotalSeconds:F2}s after the database stopped: its leases could already have expired for others"));
            Assert.All(cluster.Nodes, n => Assert.Contains(n.Process.Records.Skip(recordsBefore[n.NodeId]), r => ClusterEvents.Is(r, ClusterEvents.DatabaseUnreachable)));
            Assert.All(during, a => Assert.True(a.Status == 503 && a.RetryAfter is not null, "an entity request during the outage: " + a));
            Assert.Equal(System.Net.HttpStatusCode.OK, echo.StatusCode);

            Assert.All(after, a => Assert.True(a.Ok, "an entity request after the recovery: " + a));
            // The same processes did all that (each answered above): each joined once and never left.
            Assert.All(cluster.Nodes, n => Assert.Single(n.RecordsOf(ClusterEvents.Joined)));
        }
        finally
        {
            if (!restarted)
            {
                await postgres.Server.StartAsync();
            }
        }
    }
}
