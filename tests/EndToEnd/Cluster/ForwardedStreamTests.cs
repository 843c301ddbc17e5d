using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// Responses that do not arrive whole cross the node boundary as they are produced: a stream's events reach the
/// client one by one while the owner's handler still runs, and a failure after the owner's response started cuts
/// the client's response off on the receiving node, as it would have locally.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ForwardedStreamTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_stream_of_an_entity_on_another_node_arrives_event_by_event_and_the_clients_leaving_cancels_the_owners_handler()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 2, "stream");
        (ClusterNodeProcess receiver, ClusterNodeProcess owner, string key) = await RemoteEntityAsync(cluster, "s");

        // The second event comes a minute after the first: the first can only arrive while the handler still runs.
        using var request = new HttpRequestMessage(HttpMethod.Get, TestCluster.On(receiver, $"/ticks/{key}?count=2&interval-ms=60000"));
        using (HttpResponseMessage response = await cluster.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            Stream body = await response.Content.ReadAsStreamAsync();
            Assert.Contains("data: {\"n\":1}", await ReadUntilAsync(body, "\n\n"), StringComparison.Ordinal);
        }

        // The client left: the forwarded stream was reset, and the owner's handler was cancelled as it would be locally.
        JsonElement ownerLine = await owner.Process.WaitForAsync(r => ClusterEvents.IsFinished(r, $"/ticks/{key}"), TestCluster.RequestGuard);
        Assert.Equal("client_aborted", GatewayProcess.State(ownerLine, "Outcome"));
        JsonElement receiverLine = await receiver.Process.WaitForAsync(r => ClusterEvents.IsFinished(r, $"/ticks/{key}"), TestCluster.RequestGuard);
        Assert.Equal("client_aborted", GatewayProcess.State(receiverLine, "Outcome"));
        Assert.Equal($"actorhost://{owner.NodeId}/user/routes/ticks/{key}", GatewayProcess.State(receiverLine, "WorkerPath"));
    }

    [Fact]
    public async Task A_failure_after_the_owners_response_started_cuts_the_clients_response_off_on_the_receiving_node()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 2, "cut");
        (ClusterNodeProcess receiver, ClusterNodeProcess owner, string key) = await RemoteEntityAsync(cluster, "c");

        // More than the sender holds back (WholeResponse.MaxBytes), so the client has the status and bytes before the
        // owner's handler fails. (A small body that fails before the sender let it go becomes a clean 500 instead.)
        using HttpResponseMessage response = await cluster.Http.GetAsync(TestCluster.On(receiver, $"/cut/{key}?bytes=100000"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => response.Content.ReadAsByteArrayAsync());

        JsonElement receiverLine = await receiver.Process.WaitForAsync(r => ClusterEvents.IsFinished(r, $"/cut/{key}"), TestCluster.RequestGuard);
        Assert.Equal("failed_after_start", GatewayProcess.State(receiverLine, "Outcome"));
        Assert.Equal("200", GatewayProcess.State(receiverLine, "Status"));
        Assert.Equal("True", GatewayProcess.State(receiverLine, "Aborted"));
        Assert.Equal($"actorhost://{owner.NodeId}/user/routes/cut/{key}", GatewayProcess.State(receiverLine, "WorkerPath"));
        JsonElement ownerLine = await owner.Process.WaitForAsync(r => ClusterEvents.IsFinished(r, $"/cut/{key}"), TestCluster.RequestGuard);
        Assert.Equal("failed_after_start", GatewayProcess.State(ownerLine, "Outcome"));
    }

    private static async Task<(ClusterNodeProcess Receiver, ClusterNodeProcess Owner, string Key)> RemoteEntityAsync(TestCluster cluster, string prefix)
    {
        LeaseSnapshot leases = await cluster.Leases.ReadAsync();
        string key = TestCluster.OneKeyPerShard(prefix).First(k => leases.Shards[TestCluster.ShardOf(k)].Owner == "node-2");
        return (cluster["node-1"], cluster["node-2"], key);
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
}
