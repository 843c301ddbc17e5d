using System.Net;
using System.Text.Json;
using ActorHost.Cluster;
using ActorHost.Cluster.Coordination;
using ActorHost.Gateway.Hosting;
using ActorHost.Gateway.Management.Cluster;
using ActorHost.Gateway.Tests.Infrastructure;
using ActorHost.Workers.Options;
using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Gateway.Tests.Management;

/// <summary>
/// The cluster side of the management API against a <see cref="FakeClusterView"/> (no database):
/// /cluster/members, /cluster/shards, readiness following membership, and cluster events on /events.
/// </summary>
public sealed class ClusterApiTests
{
    [Fact]
    public async Task Members_lists_every_member_with_status_heartbeat_age_shards_and_self_and_the_down_ones_as_unreachable()
    {
        var cluster = new FakeClusterView();
        await using TestGateway gateway = await StartAsync(cluster);

        using JsonDocument document = JsonDocument.Parse(await gateway.Management.GetStringAsync("/cluster/members"));
        JsonElement root = document.RootElement;
        JsonElement[] members = [.. root.GetProperty("members").EnumerateArray()];

        Assert.Equal("node-a", root.GetProperty("selfNode").GetString());
        Assert.Equal(["node-a", "node-b", "node-c"], members.Select(m => m.GetProperty("node").GetString()));
        Assert.Equal(["Up", "Up", "Down"], members.Select(m => m.GetProperty("status").GetString()));
        Assert.Equal([true, false, false], members.Select(m => m.GetProperty("self").GetBoolean()));
        Assert.Equal("http://10.0.0.2:9081", members[1].GetProperty("address").GetString());
        Assert.Equal(340, members[1].GetProperty("heartbeatAgeMs").GetInt64());
        Assert.Equal(4, members[1].GetProperty("shards").GetInt32());
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 0, 1, TimeSpan.Zero), members[1].GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(["node-c"], root.GetProperty("unreachable").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task Shards_lists_every_lease_with_owner_epoch_remaining_time_and_state_and_counts_by_owner()
    {
        var cluster = new FakeClusterView(numberOfShards: 12);
        cluster.SetShard(FakeClusterView.Lease(5, owner: null, epoch: 3));
        cluster.SetShard(new ShardLeaseView(7, "node-b", 9, TimeSpan.FromMilliseconds(-250), "owner-down"));
        await using TestGateway gateway = await StartAsync(cluster);

        using JsonDocument document = JsonDocument.Parse(await gateway.Management.GetStringAsync("/cluster/shards"));
        JsonElement root = document.RootElement;
        JsonElement[] shards = [.. root.GetProperty("shards").EnumerateArray()];

        Assert.Equal("node-a", root.GetProperty("selfNode").GetString());
        Assert.Equal(12, root.GetProperty("numberOfShards").GetInt32());
        Assert.Equal(Enumerable.Range(0, 12), shards.Select(s => s.GetProperty("shard").GetInt32()));
        Assert.Equal("serving", shards[0].GetProperty("state").GetString());
        Assert.Equal("node-a", shards[0].GetProperty("owner").GetString());
        Assert.Equal(1, shards[0].GetProperty("epoch").GetInt64());
        Assert.Equal(4200, shards[0].GetProperty("leaseRemainingMs").GetInt64());
        Assert.Equal(JsonValueKind.Null, shards[5].GetProperty("owner").ValueKind);
        Assert.Equal("unowned", shards[5].GetProperty("state").GetString());
        Assert.Equal(-250, shards[7].GetProperty("leaseRemainingMs").GetInt64());
        Assert.Equal(9, shards[7].GetProperty("epoch").GetInt64());
        Assert.Equal("owner-down", shards[7].GetProperty("state").GetString());
        JsonElement byOwner = root.GetProperty("byOwner");
        Assert.Equal(4, byOwner.GetProperty("node-a").GetInt32());
        Assert.Equal(4, byOwner.GetProperty("node-b").GetInt32());
        Assert.Equal(3, byOwner.GetProperty("node-c").GetInt32());
        Assert.Equal(1, root.GetProperty("unowned").GetInt32());
    }

    [Theory]
    [InlineData("/cluster/members")]
    [InlineData("/cluster/shards")]
    public async Task Cluster_endpoints_answer_404_problem_saying_the_cluster_is_disabled_when_it_is_off(string path)
    {
        await using TestGateway gateway = await StartAsync(cluster: null);

        using HttpResponseMessage response = await gateway.Management.GetAsync(path);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("disabled", problem.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("actorhost.cluster.enabled = off", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_answers_503_cluster_not_up_while_the_node_is_not_an_up_member_and_alive_stays_200()
    {
        var cluster = new FakeClusterView { IsUp = false, Status = MemberStatus.Joining };
        await using TestGateway gateway = await StartAsync(cluster);

        (HttpStatusCode joining, string? joiningReason) = await ReadyAsync(gateway);
        using HttpResponseMessage alive = await gateway.Management.GetAsync("/alive");
        cluster.IsUp = true;
        (HttpStatusCode up, _) = await ReadyAsync(gateway);
        cluster.IsUp = false;
        (HttpStatusCode notUp, string? notUpReason) = await ReadyAsync(gateway);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, joining);
        Assert.Equal("cluster: not up", joiningReason);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, up);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notUp);
        Assert.Equal("cluster: not up", notUpReason);
    }

    [Fact]
    public async Task A_node_that_only_lost_the_database_stays_ready_and_says_it_is_degraded()
    {
        var cluster = new FakeClusterView();
        await using TestGateway gateway = await StartAsync(cluster);
        (HttpStatusCode before, string beforeBody) = await ReadyBodyAsync(gateway);

        cluster.IsUp = false;
        cluster.IsDatabaseUnreachable = true;
        (HttpStatusCode during, string duringBody) = await ReadyBodyAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal("""{"status":"ready"}""", beforeBody);
        Assert.Equal(HttpStatusCode.OK, during);
        using JsonDocument body = JsonDocument.Parse(duringBody);
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(GatewayReadiness.ClusterDatabaseUnreachable, body.RootElement.GetProperty("degraded").GetString());
    }

    [Fact]
    public async Task A_pool_without_live_workers_and_a_lost_database_are_both_named_as_degraded()
    {
        var cluster = new FakeClusterView();
        var runtime = new FakeWorkerRuntime()
            .Route(new RouteOptions { Name = "echo", Path = "/echo", Worker = "echo", Methods = ["POST"], Mode = RouteMode.Pool, Instances = 4 }, (_, _, _) => Task.CompletedTask);
        await using TestGateway gateway = await TestGateway.StartAsync(_ => runtime, services: services => services.AddSingleton<IClusterView>(cluster));

        runtime.RoutesWithoutLiveWorkers = ["echo"];
        (HttpStatusCode poolOnly, string poolOnlyBody) = await ReadyBodyAsync(gateway);
        cluster.IsUp = false;
        cluster.IsDatabaseUnreachable = true;
        (HttpStatusCode both, string bothBody) = await ReadyBodyAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, poolOnly);
        using JsonDocument poolOnlyJson = JsonDocument.Parse(poolOnlyBody);
        Assert.Equal("route echo: no live workers (0 of 4)", poolOnlyJson.RootElement.GetProperty("degraded").GetString());
        Assert.Equal(HttpStatusCode.OK, both);
        using JsonDocument bothJson = JsonDocument.Parse(bothBody);
        Assert.Equal(GatewayReadiness.ClusterDatabaseUnreachable + "; route echo: no live workers (0 of 4)", bothJson.RootElement.GetProperty("degraded").GetString());
    }

    [Fact]
    public void With_ready_during_database_outage_off_a_node_that_lost_the_database_is_not_ready()
    {
        var cluster = new FakeClusterView { IsUp = false, IsDatabaseUnreachable = true };
        var strict = new GatewayReadiness(cluster, new ClusterOptions { ReadyDuringDatabaseOutage = false });
        var lenient = new GatewayReadiness(cluster, new ClusterOptions());
        strict.MarkReady();
        lenient.MarkReady();

        Assert.Equal(GatewayReadiness.ClusterNotUp, strict.NotReadyReason);
        Assert.Null(strict.DegradedReason);
        Assert.True(lenient.IsReady);
        Assert.Equal(GatewayReadiness.ClusterDatabaseUnreachable, lenient.DegradedReason);
    }

    [Fact]
    public void The_gateways_own_not_ready_reason_wins_over_cluster_membership()
    {
        var cluster = new FakeClusterView { IsUp = false };
        var readiness = new GatewayReadiness(cluster);
        var single = new GatewayReadiness();
        single.MarkReady();

        string? starting = readiness.NotReadyReason;
        readiness.MarkReady();
        string? afterStart = readiness.NotReadyReason;
        readiness.MarkNotReady("shutting down: SIGTERM");
        string? shuttingDown = readiness.NotReadyReason;
        cluster.IsUp = true;
        bool readyWhileShuttingDown = readiness.IsReady;

        Assert.Equal("starting", starting);
        Assert.Equal(GatewayReadiness.ClusterNotUp, afterStart);
        Assert.Equal("shutting down: SIGTERM", shuttingDown);
        Assert.False(readyWhileShuttingDown);
        Assert.True(single.IsReady);
    }

    [Fact]
    public async Task A_displaced_node_says_so_in_members_and_as_its_not_ready_reason()
    {
        var cluster = new FakeClusterView();
        await using TestGateway gateway = await StartAsync(cluster);
        using (JsonDocument before = JsonDocument.Parse(await gateway.Management.GetStringAsync("/cluster/members")))
        {
            Assert.False(before.RootElement.GetProperty("selfDisplaced").GetBoolean());
        }

        cluster.IsUp = false;
        cluster.IsDisplaced = true;
        using JsonDocument after = JsonDocument.Parse(await gateway.Management.GetStringAsync("/cluster/members"));
        (HttpStatusCode status, string? reason) = await ReadyAsync(gateway);

        Assert.True(after.RootElement.GetProperty("selfDisplaced").GetBoolean());
        Assert.False(after.RootElement.GetProperty("selfUp").GetBoolean());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(GatewayReadiness.ClusterDisplaced, reason);
    }

    [Fact]
    public void Every_cluster_event_kind_has_its_own_word_on_the_wire()
    {
        string[] words = [.. Enum.GetValues<ClusterEventKind>().Select(ClusterEventData.Word)];

        Assert.DoesNotContain("unknown", words);
        Assert.Equal(words.Length, words.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("displaced", words);
    }

    [Fact]
    public async Task Cluster_events_enter_the_event_stream_as_cluster_events_and_resume_after_since()
    {
        var cluster = new FakeClusterView();
        await using TestGateway gateway = await StartAsync(cluster);
        await using SseStream live = await SseStream.OpenAsync(gateway.Management, "?since=0");
        var seen = new DateTimeOffset(2026, 11, 21, 12, 30, 0, TimeSpan.Zero);

        cluster.Raise(new ClusterEvent(ClusterEventKind.HandOffStarted, seen, "node-a", [3, 6], 4, "to node-b"));
        SseEvent handOff = (await live.ReadUntilAsync(e => e.Type == "cluster")).Last();
        cluster.Raise(new ClusterEvent(ClusterEventKind.ShardAcquired, seen.AddSeconds(1), "node-a", [9], 5, null));
        cluster.Raise(new ClusterEvent(ClusterEventKind.MemberDown, seen.AddSeconds(2), "node-c", [], null, "heartbeat 7.2 s old"));
        cluster.Raise(new ClusterEvent(ClusterEventKind.Fenced, seen.AddSeconds(3), "node-a", [0, 3], null, "no renewal"));
        await using SseStream resumed = await SseStream.OpenAsync(gateway.Management, $"?since={handOff.Id}");
        List<SseEvent> afterResume = await resumed.ReadUntilAsync(e => e.Payload.GetProperty("kind").GetString() == "fenced");

        JsonElement data = handOff.Payload;
        Assert.Equal("handoff_started", data.GetProperty("kind").GetString());
        Assert.Equal("node-a", data.GetProperty("node").GetString());
        Assert.Equal([3, 6], data.GetProperty("shards").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(4, data.GetProperty("epoch").GetInt64());
        Assert.Equal("to node-b", data.GetProperty("detail").GetString());
        Assert.Equal(seen, data.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("cluster", handOff.Json.GetProperty("type").GetString());
        Assert.Equal(["shard_acquired", "member_down", "fenced"], afterResume.Select(e => e.Payload.GetProperty("kind").GetString()));
        Assert.All(afterResume, e => Assert.Equal("cluster", e.Type));
        Assert.Equal([handOff.Id + 1, handOff.Id + 2, handOff.Id + 3], afterResume.Select(e => e.Id));
        Assert.Equal(JsonValueKind.Null, afterResume[1].Payload.GetProperty("epoch").ValueKind);
    }

    [Fact]
    public async Task The_event_feed_unsubscribes_from_the_cluster_when_the_gateway_is_disposed()
    {
        var cluster = new FakeClusterView();
        TestGateway gateway = await StartAsync(cluster);
        int whileRunning = cluster.Subscribers;

        await gateway.DisposeAsync();

        Assert.Equal(1, whileRunning);
        Assert.Equal(0, cluster.Subscribers);
    }

    private static Task<TestGateway> StartAsync(FakeClusterView? cluster) =>
        TestGateway.StartAsync(_ => new FakeWorkerRuntime(), services: services =>
        {
            if (cluster is not null)
            {
                services.AddSingleton<IClusterView>(cluster);
            }
        });

    private static async Task<(HttpStatusCode Status, string Body)> ReadyBodyAsync(TestGateway gateway)
    {
        using HttpResponseMessage response = await gateway.Management.GetAsync("/ready");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string? Reason)> ReadyAsync(TestGateway gateway)
    {
        using HttpResponseMessage response = await gateway.Management.GetAsync("/ready");
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.TryGetProperty("reason", out JsonElement reason) ? reason.GetString() : null);
    }
}
