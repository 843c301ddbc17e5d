using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// A hand-off with an entity busy (an endless SSE stream): the old owner gives the entity notice, the stream ends
/// with <c>event: shutdown</c>, and only then does the new owner serve the entity. Never two instances at once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HandOffStreamTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task When_a_node_joins_an_open_stream_of_an_entity_it_takes_ends_with_a_shutdown_event_before_the_new_owner_serves_it()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 1, "join-stream");
        ClusterNodeProcess first = cluster["node-1"];
        string[] winners = ExpectedAllocation.Winners(TestCluster.NumberOfShards, ["node-1", "node-2"]);
        string key = TestCluster.OneKeyPerShard("j").First(k => winners[TestCluster.ShardOf(k)] == "node-2");

        // An endless stream of the entity, served by node-1 (the only node).
        using var oldRequest = new HttpRequestMessage(HttpMethod.Get, TestCluster.On(first, $"/ticks/{key}?interval-ms=200"));
        using HttpResponseMessage oldStream = await cluster.Http.SendAsync(oldRequest, HttpCompletionOption.ResponseHeadersRead);
        Stream oldBody = await oldStream.Content.ReadAsStreamAsync();
        Assert.Contains("data: {\"n\":1}", await ReadUntilAsync(oldBody, "\n\n"), StringComparison.Ordinal);

        // node-2 joins and receives the entity's shard by hand-off.
        int recordsBeforeJoin = first.Process.Records.Count;
        await cluster.JoinAsync("node-2");
        await cluster.WaitForAllocationAsync(["node-1", "node-2"], TimeSpan.FromSeconds(30));

        // The old instance was told (its stream ends cleanly with the shutdown event), before the lease moved.
        string rest = await ReadToEndAsync(oldBody);
        cluster.Report("old stream after the hand-off: " + JsonSerializer.Serialize(rest.Length > 300 ? rest[^300..] : rest));
        Assert.EndsWith("event: shutdown\ndata: {}\n\n", rest, StringComparison.Ordinal);

        // The entity now answers from node-2 (asked through node-1, forwarded).
        using HttpResponseMessage newStream = await cluster.Http.GetAsync(TestCluster.On(first, $"/ticks/{key}?count=1"));
        Assert.Equal(HttpStatusCode.OK, newStream.StatusCode);

        // The hand-off waited for the stream to end, not for handoff-timeout, and nothing failed on the way.
        Assert.DoesNotContain(first.Process.Records.Skip(recordsBeforeJoin), r => GatewayProcess.Event(r) is ClusterEvents.StopEntitiesFailed or ClusterEvents.HandOffWaitsForEntities);
    }

    [Fact]
    public async Task A_graceful_leave_with_an_open_stream_ends_it_and_hands_its_shard_off_without_waiting_for_handoff_timeout()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 2, "leave-stream");
        ClusterNodeProcess leaver = cluster["node-2"];
        ClusterNodeProcess stayer = cluster["node-1"];
        LeaseSnapshot leases = await cluster.Leases.ReadAsync();
        string key = TestCluster.OneKeyPerShard("l").First(k => leases.Shards[TestCluster.ShardOf(k)].Owner == leaver.NodeId);

        // An endless stream of an entity the leaver owns, asked of the leaver itself.
        using var request = new HttpRequestMessage(HttpMethod.Get, TestCluster.On(leaver, $"/ticks/{key}?interval-ms=200"));
        using HttpResponseMessage stream = await cluster.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Stream body = await stream.Content.ReadAsStreamAsync();
        Assert.Contains("data: {\"n\":1}", await ReadUntilAsync(body, "\n\n"), StringComparison.Ordinal);

        var clock = Stopwatch.StartNew();
        await leaver.Process.SignalAsync("TERM");
        string rest = await ReadToEndAsync(body);
        TimeSpan streamEnded = clock.Elapsed;

        // Asked through the node that stays while the leaver is still leaving or gone: served, never 503.
        using HttpResponseMessage answer = await cluster.Http.GetAsync(TestCluster.On(stayer, $"/ticks/{key}?count=1"));
        TimeSpan answered = clock.Elapsed;
        int exit = await leaver.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        cluster.Report($"stream ended after {streamEnded.TotalSeconds:F2}s ({JsonSerializer.Serialize(rest.Length > 200 ? rest[^200..] : rest)}); "
            + $"entity answered {(int)answer.StatusCode} through {stayer.NodeId} after {answered.TotalSeconds:F2}s; leaver exited {exit}");

        Assert.EndsWith("event: shutdown\ndata: {}\n\n", rest, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.True(answered < TestCluster.HandoffTimeout, $"the entity was served again only after {answered.TotalSeconds:F2}s");
        Assert.Equal(0, exit);
        Assert.Empty(leaver.RecordsOf(ClusterEvents.LeaveIncomplete));
        Assert.Empty(leaver.RecordsOf(ClusterEvents.StopEntitiesFailed));
    }

    private static async Task<string> ReadUntilAsync(Stream body, string end)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[1024];
        while (!text.ToString().Contains(end, StringComparison.Ordinal))
        {
            int read = await body.ReadAsync(buffer).AsTask().WaitAsync(TestCluster.RequestGuard);
            Assert.True(read > 0, "the stream ended before " + JsonSerializer.Serialize(end) + ": " + text);
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    /// <summary>The rest of the stream until it ends cleanly; fails if it is cut or still runs after the guard.</summary>
    private static async Task<string> ReadToEndAsync(Stream body)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[1024];
        using var guard = new CancellationTokenSource(TestCluster.RequestGuard);
        try
        {
            while (await body.ReadAsync(buffer, guard.Token) is var read and > 0)
            {
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the old instance still streams {TestCluster.RequestGuard} later: " + text.ToString()[^Math.Min(text.Length, 200)..]);
        }

        return text.ToString();
    }
}
