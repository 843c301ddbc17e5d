using System.Text;
using ActorHost.Cluster.Coordination;
using ActorHost.Workers;
using Microsoft.Extensions.Primitives;

namespace ActorHost.Cluster.Tests.Forwarding.Support;

/// <summary>Shared values and builders of the forwarding tests.</summary>
public static class Forward
{
    /// <summary>Guards waits against hangs; never a way to wait for something.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    public const string Secret = "a-cluster-secret-of-at-least-32-chars!!";

    public static ClusterOptions Options(int handoffBuffer = 100, TimeSpan? handoffTimeout = null) => new()
    {
        Enabled = true,
        NodeId = "sender-1",
        Secret = Secret,
        NumberOfShards = 16,
        ReplayWindow = TimeSpan.FromSeconds(30),
        ForwardConnectTimeout = TimeSpan.FromSeconds(5),
        HandoffBuffer = handoffBuffer,
        HandoffTimeout = handoffTimeout ?? TimeSpan.FromSeconds(3),
    };

    public static WorkerRequest Request(
        string method = "GET",
        string path = "/counter/7",
        string route = "counter",
        string? key = "7",
        IDictionary<string, StringValues>? query = null,
        IDictionary<string, StringValues>? headers = null,
        byte[]? body = null,
        string requestId = "req-1") => new()
        {
            RequestId = requestId,
            Route = route,
            Method = method,
            Path = path,
            EntityKey = key,
            RouteValues = key is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["id"] = key },
            Query = query is null ? new Dictionary<string, StringValues>() : new Dictionary<string, StringValues>(query),
            Headers = headers is null
                ? new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, StringValues>(headers, StringComparer.OrdinalIgnoreCase),
            Body = body is null ? Stream.Null : new MemoryStream(body),
            ContentLength = body?.Length,
        };

    public static ShardRoute RemoteRoute(Uri address, string owner = "owner-1", int shard = 3, long epoch = 5) =>
        new(ShardRouteKind.Remote, shard, epoch, owner, address, null);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
