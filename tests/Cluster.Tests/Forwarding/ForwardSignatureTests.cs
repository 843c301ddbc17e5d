using System.Text;
using ActorHost.Cluster.Forwarding;
using ActorHost.Cluster.Tests.Forwarding.Support;

namespace ActorHost.Cluster.Tests.Forwarding;

public class ForwardSignatureTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Forward.Secret);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"by\":2}");

    private static string Sign(string method = "POST", string target = "/counter/7/increment?x=1", long timestamp = 1_700_000_000_000,
        string nonce = "abc123", byte[]? body = null, byte[]? key = null) =>
        ForwardSignature.Compute(key ?? Key, method, target, timestamp, nonce, body ?? Body);

    [Fact]
    public void The_signature_of_a_known_request_is_pinned()
    {
        // Computed independently (Python hmac over "POST\n/counter/7/increment?x=1\n1700000000000\nabc123\n" + hex(sha256(body))):
        // every node of every version must agree on it, so it may never change.
        Assert.Equal("4OueiqHOM8vNSQG6miL/FZqhk7Kstn0PVf8HZcaxg7E=", Sign());
        Assert.Equal("TMkO0uIEKBEjkdioZ7bC3cyKC/8X9HRCZGthGL6EKvo=", ForwardSignature.Compute(Key, "GET", "/", 0, "n", []));
    }

    [Fact]
    public void The_same_input_always_gives_the_same_signature()
    {
        Assert.Equal(Sign(), Sign());
    }

    [Theory]
    [InlineData("method")]
    [InlineData("path")]
    [InlineData("query")]
    [InlineData("timestamp")]
    [InlineData("nonce")]
    [InlineData("body")]
    [InlineData("empty-body")]
    [InlineData("key")]
    public void Changing_any_signed_part_changes_the_signature(string part)
    {
        string changed = part switch
        {
            "method" => Sign(method: "PUT"),
            "path" => Sign(target: "/counter/8/increment?x=1"),
            "query" => Sign(target: "/counter/7/increment?x=2"),
            "timestamp" => Sign(timestamp: 1_700_000_000_001),
            "nonce" => Sign(nonce: "abc124"),
            "body" => Sign(body: Encoding.UTF8.GetBytes("{\"by\":3}")),
            "empty-body" => Sign(body: []),
            "key" => Sign(key: Encoding.UTF8.GetBytes(Forward.Secret + "x")),
            _ => throw new ArgumentOutOfRangeException(nameof(part)),
        };

        Assert.NotEqual(Sign(), changed);
    }

    [Fact]
    public void Matches_accepts_exactly_the_same_signature()
    {
        string signature = Sign();

        Assert.True(ForwardSignature.Matches(signature, signature));
        Assert.True(ForwardSignature.Matches(signature, new string(signature.AsSpan())));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("4OueiqHOM8vNSQG6miL/FZqhk7Kstn0PVf8HZcaxg7E")]
    [InlineData("4OueiqHOM8vNSQG6miL/FZqhk7Kstn0PVf8HZcaxg7E==")]
    [InlineData("4oueiqHOM8vNSQG6miL/FZqhk7Kstn0PVf8HZcaxg7E=")]
    [InlineData(" 4OueiqHOM8vNSQG6miL/FZqhk7Kstn0PVf8HZcaxg7E=")]
    [InlineData("TMkO0uIEKBEjkdioZ7bC3cyKC/8X9HRCZGthGL6EKvo=")]
    public void Matches_refuses_anything_else(string? presented)
    {
        Assert.False(ForwardSignature.Matches(Sign(), presented));
    }

    [Fact]
    public void Null_arguments_are_refused_clearly()
    {
        Assert.Throws<ArgumentNullException>(() => ForwardSignature.Compute(Key, null!, "/", 0, "n", []));
        Assert.Throws<ArgumentNullException>(() => ForwardSignature.Compute(Key, "GET", null!, 0, "n", []));
        Assert.Throws<ArgumentNullException>(() => ForwardSignature.Compute(Key, "GET", "/", 0, null!, []));
        Assert.Throws<ArgumentNullException>(() => ForwardSignature.Matches(null!, "x"));
    }
}
