using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// A second gateway process started with the node id of a running one: the older process is displaced (Critical line,
/// not ready, serves nothing), the newer one takes the id's shards once the older one's leases expired, and the older
/// one leaving afterwards takes nothing of the newer one's with it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DuplicateNodeIdTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int NodeDisplaced = 520;
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_second_process_with_a_running_nodes_id_displaces_it_and_takes_its_shards_at_new_epochs()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 2, "same-id");
        ClusterNodeProcess first = cluster["node-2"];
        ClusterNodeProcess other = cluster["node-1"];
        LeaseSnapshot before = await cluster.Leases.ReadAsync();
        int[] shards = [.. before.ShardsOf("node-2")];
        Assert.NotEmpty(shards);

        ClusterNodeProcess second = await cluster.StartSameIdAsync("node-2");

        JsonElement displaced = await first.Process.WaitForAsync(r => GatewayProcess.Event(r) == NodeDisplaced, Guard);
        Assert.Equal("Critical", GatewayProcess.Field(displaced, "LogLevel"));
        using (HttpResponseMessage ready = await cluster.Http.GetAsync(new Uri(first.Management, "/ready")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("displaced by another process with the same node-id", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The id's shards are held again, each at a newer epoch: taken after the first process's leases expired.
        LeaseSnapshot after = await cluster.Leases.WaitUntilAsync(
            s => shards.All(shard => s.IsHeldBy(shard, "node-2") && s.Shards[shard].Epoch > before.Shards[shard].Epoch),
            "node-2's shards held again at new epochs", Guard);
        Assert.Equal(HttpStatusCode.OK, await cluster.ReadyAsync(second));

        // An entity of those shards, asked through the other node, is served by the second process.
        string key = TestCluster.OneKeyPerShard("same-id-")[shards[0]];
        using (HttpResponseMessage answer = await cluster.Http.PostAsync(TestCluster.On(other, $"/counter/{key}/increment"), null))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        await second.Process.WaitForAsync(r => ClusterEvents.Is(r, ClusterEvents.RequestFinished) && GatewayProcess.State(r, "Path") == $"/counter/{key}/increment", Guard);
        Assert.Empty(ClusterEvents.Increments(first, key));

        // The displaced process ends cleanly, and the second one keeps its member row and leases.
        await first.Process.SignalAsync("TERM");
        Assert.Equal(0, await first.Process.WaitForExitAsync(Guard));
        Assert.Contains(await cluster.Leases.MembersAsync(), m => m.NodeId == "node-2");
        LeaseSnapshot afterLeave = await cluster.Leases.ReadAsync();
        Assert.All(shards, shard => Assert.True(afterLeave.IsHeldBy(shard, "node-2"), $"shard {shard}: {afterLeave}"));
        cluster.Report($"node-2 displaced; its {shards.Length} shards held again by the second process at new epochs ({after})");
    }
}
