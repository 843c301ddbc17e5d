using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// What happens on the owner is what the client is told by the node it reached: a handler failure there is a 500
/// here (never a cut connection, never a 200), the entity restarts fresh on its owner, a client error stays a
/// client error, and the receiving node's request-finished line names the owner's worker and incarnation.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ForwardedOutcomeTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task An_entity_key_with_non_ascii_characters_is_served_through_a_node_that_does_not_own_it()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 2, "non-ascii-key");
        LeaseSnapshot leases = await cluster.Leases.ReadAsync();
        ClusterNodeProcess receiver = cluster["node-1"];
        ClusterNodeProcess owner = cluster["node-2"];

        // The owner's worker path holds the key; it travels back in a header, which must stay ASCII.
        string key = TestCluster.OneKeyPerShard("café-✓😀-").First(k => leases.Shards[TestCluster.ShardOf(k)].Owner == owner.NodeId);
        string path = "/counter/" + Uri.EscapeDataString(key) + "/increment";

        using HttpResponseMessage forwarded = await cluster.Http.PostAsync(TestCluster.On(receiver, path), null);
        string body = await forwarded.Content.ReadAsStringAsync();
        CounterAnswer onOwner = await CounterClient.ReadAsync(cluster.Http, owner, key, System.Diagnostics.Stopwatch.StartNew());

        Assert.True(forwarded.StatusCode == HttpStatusCode.OK, $"{(int)forwarded.StatusCode} {body}");
        using (JsonDocument answer = JsonDocument.Parse(body))
        {
            Assert.Equal(key, answer.RootElement.GetProperty("id").GetString());
            Assert.Equal(1, answer.RootElement.GetProperty("count").GetInt64());
        }

        Assert.True(onOwner.Ok && onOwner.Count == 1, onOwner.ToString());
        JsonElement line = await receiver.Process.WaitForAsync(r => ClusterEvents.IsFinished(r, path) || ClusterEvents.IsFinished(r, "/counter/" + key + "/increment"), TimeSpan.FromSeconds(10));
        Assert.StartsWith("actorhost://node-2/user/routes/counter/", GatewayProcess.State(line, "WorkerPath"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forwarded_request_that_times_out_is_a_timeout_on_the_owner_too_not_the_client_leaving_and_names_the_owners_worker()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 2, "forwarded-timeout");
        LeaseSnapshot leases = await cluster.Leases.ReadAsync();
        ClusterNodeProcess receiver = cluster["node-1"];
        ClusterNodeProcess owner = cluster["node-2"];
        string key = TestCluster.OneKeyPerShard("t").First(k => leases.Shards[TestCluster.ShardOf(k)].Owner == owner.NodeId);

        // The owner times out 200 ms before the receiving node would give up; a first request opens the connection
        // between the two, whose set-up on a busy machine could take longer than that.
        using HttpResponseMessage warm = await cluster.Http.PostAsync(TestCluster.On(receiver, $"/counter/{key}/increment"), null);
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);

        // The wait route: timeout 1s, cancel-on-disconnect; the handler waits 3s (honouring its token).
        using HttpResponseMessage answer = await cluster.Http.GetAsync(TestCluster.On(receiver, $"/wait/{key}?ms=3000"));

        JsonElement receiverLine = await receiver.Process.WaitForAsync(r => ClusterEvents.IsFinished(r, $"/wait/{key}"), TimeSpan.FromSeconds(10));
        JsonElement ownerLine = await owner.Process.WaitForAsync(r => ClusterEvents.IsFinished(r, $"/wait/{key}"), TimeSpan.FromSeconds(10));
        cluster.Report($"answer {(int)answer.StatusCode}; receiver: {GatewayProcess.State(receiverLine, "Status")} {GatewayProcess.State(receiverLine, "Outcome")} worker={GatewayProcess.State(receiverLine, "WorkerPath")}; "
            + $"owner: {GatewayProcess.State(ownerLine, "Status")} {GatewayProcess.State(ownerLine, "Outcome")} client_left={GatewayProcess.State(ownerLine, "ClientLeft")}");
        Assert.Equal(HttpStatusCode.GatewayTimeout, answer.StatusCode);
        Assert.Equal("timeout", GatewayProcess.State(receiverLine, "Outcome"));

        // Nobody left: the route's timeout passed. The owner's line says so, as a local request's would.
        Assert.Equal("timeout", GatewayProcess.State(ownerLine, "Outcome"));
        Assert.Equal("False", GatewayProcess.State(ownerLine, "ClientLeft"));

        // And the receiving node names the owner's worker, as it does for every other forwarded outcome.
        Assert.Equal($"actorhost://{owner.NodeId}/user/routes/wait/{key}", GatewayProcess.State(receiverLine, "WorkerPath"));
    }

    [Fact]
    public async Task A_failure_on_the_owner_is_a_500_on_the_receiving_node_and_the_entity_restarts_fresh_there()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 2, "outcomes");
        LeaseSnapshot leases = await cluster.Leases.ReadAsync();
        ClusterNodeProcess receiver = cluster["node-1"];
        string owner = "node-2";
        string key = TestCluster.OneKeyPerShard("o").First(k => leases.Shards[TestCluster.ShardOf(k)].Owner == owner);

        using HttpResponseMessage increment = await cluster.Http.PostAsync(TestCluster.On(receiver, $"/counter/{key}/increment"), null);
        Assert.Equal(HttpStatusCode.OK, increment.StatusCode);
        Assert.Equal(1, await IncarnationAsync(increment));

        using HttpResponseMessage failure = await cluster.Http.PostAsync(TestCluster.On(receiver, $"/counter/{key}/fail"), null);
        Assert.Equal(HttpStatusCode.InternalServerError, failure.StatusCode);
        Assert.Equal("application/problem+json", failure.Content.Headers.ContentType?.MediaType);
        using (JsonDocument problem = JsonDocument.Parse(await failure.Content.ReadAsStringAsync()))
        {
            Assert.Equal("handler_failed", problem.RootElement.GetProperty("outcome").GetString());
        }

        using HttpResponseMessage unknown = await cluster.Http.PostAsync(TestCluster.On(receiver, $"/counter/{key}/nonsense"), null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // The owner restarted the entity: fresh state, next incarnation — read through the receiving node again.
        using HttpResponseMessage read = await cluster.Http.GetAsync(TestCluster.On(receiver, $"/counter/{key}"));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using (JsonDocument state = JsonDocument.Parse(await read.Content.ReadAsStringAsync()))
        {
            Assert.Equal(0, state.RootElement.GetProperty("count").GetInt64());
            Assert.Equal(2, state.RootElement.GetProperty("incarnation").GetInt32());
        }

        // The receiving node's lines tell the owner's story: outcome, the owner's worker and its incarnation.
        JsonElement failed = await receiver.Process.WaitForAsync(r => ClusterEvents.IsFinished(r, $"/counter/{key}/fail"), TimeSpan.FromSeconds(10));
        Assert.Equal("500", GatewayProcess.State(failed, "Status"));
        Assert.Equal("handler_failed", GatewayProcess.State(failed, "Outcome"));
        Assert.Equal($"actorhost://{owner}/user/routes/counter/{key}", GatewayProcess.State(failed, "WorkerPath"));
        Assert.Equal("1", GatewayProcess.State(failed, "Incarnation"));
        JsonElement rejected = await receiver.Process.WaitForAsync(r => ClusterEvents.IsFinished(r, $"/counter/{key}/nonsense"), TimeSpan.FromSeconds(10));
        Assert.Equal("404", GatewayProcess.State(rejected, "Status"));
        Assert.Equal("client_error", GatewayProcess.State(rejected, "Outcome"));

        // And the owner's own line for the same failure, where the handler really ran.
        JsonElement ownerLine = await cluster[owner].Process.WaitForAsync(r => ClusterEvents.IsFinished(r, $"/counter/{key}/fail"), TimeSpan.FromSeconds(10));
        Assert.Equal("handler_failed", GatewayProcess.State(ownerLine, "Outcome"));
        Assert.Equal($"/user/routes/counter/{key}", GatewayProcess.State(ownerLine, "WorkerPath"));

        // Both nodes count the request (each wrote its line), told apart by via: a cluster-wide sum over
        // via="client" counts each client request once. Counted before the lines awaited above were written.
        const string FailedSeries = "actorhost_gateway_requests_total{outcome=\"handler_failed\",route=\"counter\",status=\"500\",via=\"{0}\"} 1\n";
        string receiverMetrics = await cluster.Http.GetStringAsync(new Uri(receiver.Management, "/metrics"));
        string ownerMetrics = await cluster.Http.GetStringAsync(new Uri(cluster[owner].Management, "/metrics"));
        Assert.Contains(FailedSeries.Replace("{0}", "client", StringComparison.Ordinal), receiverMetrics, StringComparison.Ordinal);
        Assert.DoesNotContain("via=\"forwarded\"", receiverMetrics, StringComparison.Ordinal);
        Assert.Contains(FailedSeries.Replace("{0}", "forwarded", StringComparison.Ordinal), ownerMetrics, StringComparison.Ordinal);
        Assert.DoesNotContain("status=\"500\",via=\"client\"", ownerMetrics, StringComparison.Ordinal);
    }

    private static async Task<int> IncarnationAsync(HttpResponseMessage response)
    {
        using JsonDocument state = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return state.RootElement.GetProperty("incarnation").GetInt32();
    }
}
