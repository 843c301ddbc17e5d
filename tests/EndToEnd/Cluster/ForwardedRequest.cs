using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ActorHost.Cluster.Forwarding;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// A hand-made node-to-node request to a node's internal listener (h2c, prior knowledge), signed or forged at will:
/// what a peer sends when it forwards <c>POST /counter/{key}/increment</c>, or what an attacker could try.
/// </summary>
internal sealed record ForwardedRequest(string Key, int Shard, long Epoch)
{
    public string Method { get; init; } = "POST";

    public string PathAndQuery => "/counter/" + Key + "/increment";

    public byte[] Body { get; init; } = [];

    /// <summary>The body the signature covers; null = <see cref="Body"/>.</summary>
    public byte[]? SignedBody { get; init; }

    /// <summary>The key the request is signed with; null = unsigned.</summary>
    public string? SignWith { get; init; }

    public long TimestampMs { get; init; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public string Nonce { get; init; } = Guid.NewGuid().ToString("N");

    public string Origin { get; init; } = "node-forger";

    public HttpRequestMessage ToMessage(Uri internalUrl)
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(internalUrl, PathAndQuery))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(Body),
        };
        string timestamp = TimestampMs.ToString(CultureInfo.InvariantCulture);
        message.Headers.Add(ForwardHeaders.Timestamp, timestamp);
        message.Headers.Add(ForwardHeaders.Nonce, Nonce);
        message.Headers.Add(ForwardHeaders.Origin, Origin);
        message.Headers.Add(ForwardHeaders.RequestId, "e2e-" + Nonce);
        message.Headers.Add(ForwardHeaders.Route, "counter");
        message.Headers.Add(ForwardHeaders.RouteValues, JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = Key, ["action"] = "increment" }));
        message.Headers.Add(ForwardHeaders.Shard, string.Create(CultureInfo.InvariantCulture, $"{Shard}:{Epoch}"));
        if (SignWith is not null)
        {
            // The signature covers the routing headers too (the owner picks the entity from them).
            string routing = ForwardSignature.Routing(name => message.Headers.TryGetValues(name, out IEnumerable<string>? values) ? string.Join(",", values) : null);
            message.Headers.Add(ForwardHeaders.Signature,
                ForwardSignature.Compute(Encoding.UTF8.GetBytes(SignWith), Method, PathAndQuery, TimestampMs, Nonce, SignedBody ?? Body, routing));
        }

        return message;
    }
}
