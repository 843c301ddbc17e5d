using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using ActorHost.Cluster.Forwarding;
using Xunit.Abstractions;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// The internal listener serves only requests signed with the cluster secret, each once and only when fresh: an
/// outsider can neither reach entity workers through it nor replay or alter a forwarded request.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ForwardAuthenticationTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Forged_and_replayed_internal_requests_are_refused_401_and_logged_and_a_signed_one_for_a_foreign_shard_gets_421()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 2, "forward-auth");
        ClusterNodeProcess target = cluster["node-1"];
        LeaseSnapshot leases = await cluster.Leases.ReadAsync();
        string owned = Enumerable.Range(0, 10_000).Select(i => "f" + i).First(k => leases.Shards[TestCluster.ShardOf(k)].Owner == target.NodeId);
        string foreign = Enumerable.Range(0, 10_000).Select(i => "x" + i).First(k => leases.Shards[TestCluster.ShardOf(k)].Owner != target.NodeId);
        string bystander = Enumerable.Range(0, 10_000).Select(i => "b" + i).First(k => leases.Shards[TestCluster.ShardOf(k)].Owner == target.NodeId);
        var ownedShard = leases.Shards[TestCluster.ShardOf(owned)];
        var foreignShard = leases.Shards[TestCluster.ShardOf(foreign)];
        using var h2c = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(20) };
        var legit = new ForwardedRequest(owned, ownedShard.Shard, ownedShard.Epoch) { SignWith = cluster.Secret, Body = Encoding.UTF8.GetBytes("{}") };

        (HttpStatusCode Status, string Body) unsigned = await SendAsync(h2c, target, legit with { SignWith = null, Nonce = Guid.NewGuid().ToString("N") });
        (HttpStatusCode Status, string Body) wrongSecret = await SendAsync(h2c, target, legit with { SignWith = "not-the-cluster-secret-but-just-as-long-0123456789", Nonce = Guid.NewGuid().ToString("N") });
        (HttpStatusCode Status, string Body) alteredBody = await SendAsync(h2c, target, legit with { SignedBody = Encoding.UTF8.GetBytes("{}"), Body = Encoding.UTF8.GetBytes("{\"evil\":1}"), Nonce = Guid.NewGuid().ToString("N") });
        // Signed for one entity, then pointed at another by rewriting the routing header the owner dispatches on.
        (HttpStatusCode Status, string Body) rerouted = await SendAsync(h2c, target, legit with { Nonce = Guid.NewGuid().ToString("N") }, message =>
        {
            message.Headers.Remove(ForwardHeaders.RouteValues);
            message.Headers.Add(ForwardHeaders.RouteValues, JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = bystander, ["action"] = "increment" }));
        });
        (HttpStatusCode Status, string Body) stale = await SendAsync(h2c, target, legit with { TimestampMs = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), Nonce = Guid.NewGuid().ToString("N") });
        (HttpStatusCode Status, string Body) first = await SendAsync(h2c, target, legit);
        (HttpStatusCode Status, string Body) replayed = await SendAsync(h2c, target, legit);
        (HttpStatusCode Status, string Body) misdirected = await SendAsync(h2c, target,
            new ForwardedRequest(foreign, foreignShard.Shard, foreignShard.Epoch) { SignWith = cluster.Secret });

        // Only the one legitimate request reached the entity: the public read says so, through either node.
        var clock = Stopwatch.StartNew();
        CounterAnswer viaOther = await CounterClient.ReadAsync(cluster.Http, cluster["node-2"], owned, clock);
        CounterAnswer foreignCount = await CounterClient.ReadAsync(cluster.Http, cluster["node-2"], foreign, clock);
        CounterAnswer bystanderCount = await CounterClient.ReadAsync(cluster.Http, cluster["node-2"], bystander, clock);

        cluster.Report($"unsigned {unsigned}, wrong secret {wrongSecret}, altered body {alteredBody}, rerouted {rerouted}, stale {stale}, first {first}, replayed {replayed}, foreign shard {misdirected}");
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, alteredBody.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, rerouted.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.Status);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(1, JsonDocument.Parse(first.Body).RootElement.GetProperty("count").GetInt64());
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.Status);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, misdirected.Status);
        Assert.True(viaOther.Ok && viaOther.Count == 1, viaOther.ToString());
        Assert.True(foreignCount.Ok && foreignCount.Count == 0, "the 421 ran nothing: " + foreignCount);
        Assert.True(bystanderCount.Ok && bystanderCount.Count == 0, "the rerouted request ran nothing: " + bystanderCount);

        // Each refusal is logged with its reason: three bad signatures (wrong secret, altered body, rerouted), one of each other.
        await target.Process.WaitForAsync(r => ClusterEvents.IsForwardRefused(r, "replayed"), TimeSpan.FromSeconds(10));
        IReadOnlyList<JsonElement> records = target.Process.Records;
        Assert.Single(records, r => ClusterEvents.IsForwardRefused(r, "missing-signature"));
        Assert.Equal(3, records.Count(r => ClusterEvents.IsForwardRefused(r, "bad-signature")));
        Assert.Single(records, r => ClusterEvents.IsForwardRefused(r, "stale-timestamp"));
        Assert.Single(records, r => ClusterEvents.IsForwardRefused(r, "replayed"));
    }

    [Fact]
    public async Task A_signed_forwarded_request_whose_client_headers_were_altered_in_transit_is_refused_401()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 2, "altered-headers");
        ClusterNodeProcess target = cluster["node-1"];
        LeaseSnapshot leases = await cluster.Leases.ReadAsync();
        string owned = Enumerable.Range(0, 10_000).Select(i => "h" + i).First(k => leases.Shards[TestCluster.ShardOf(k)].Owner == target.NodeId);
        var lease = leases.Shards[TestCluster.ShardOf(owned)];
        using var h2c = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(20) };
        var signed = new ForwardedRequest(owned, lease.Shard, lease.Epoch) { SignWith = cluster.Secret, Body = Encoding.UTF8.GetBytes("{}") };

        // A request a peer signed, intercepted on the wire and passed on with headers the handler reads added.
        (HttpStatusCode Status, string Body) altered = await SendAsync(h2c, target, signed, message =>
        {
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer forged-in-transit");
            message.Content!.Headers.TryAddWithoutValidation("Content-Type", "application/x-evil");
        });

        // Forwarding through a node still works, client headers and all (the signature covers them both ways).
        using var forwarded = new HttpRequestMessage(HttpMethod.Post, TestCluster.On(cluster["node-2"], $"/counter/{owned}/increment"));
        forwarded.Headers.TryAddWithoutValidation("Authorization", "Bearer genuine");
        forwarded.Headers.TryAddWithoutValidation("Accept", ["application/json", "text/plain"]);
        forwarded.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        using HttpResponseMessage viaPeer = await cluster.Http.SendAsync(forwarded);
        string viaPeerBody = await viaPeer.Content.ReadAsStringAsync();

        cluster.Report($"altered headers: {altered}; forwarded with headers: {(int)viaPeer.StatusCode} {viaPeerBody}");
        Assert.Equal(HttpStatusCode.Unauthorized, altered.Status);
        Assert.Equal(HttpStatusCode.OK, viaPeer.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(viaPeerBody).RootElement.GetProperty("count").GetInt64());
        await target.Process.WaitForAsync(r => ClusterEvents.IsForwardRefused(r, "bad-signature"), TimeSpan.FromSeconds(10));
    }

    private static async Task<(HttpStatusCode, string)> SendAsync(HttpClient h2c, ClusterNodeProcess node, ForwardedRequest forwarded, Action<HttpRequestMessage>? tamper = null)
    {
        using HttpRequestMessage request = forwarded.ToMessage(node.InternalUrl);
        tamper?.Invoke(request);
        using HttpResponseMessage response = await h2c.SendAsync(request);
        Assert.Equal(HttpVersion.Version20, response.Version);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
