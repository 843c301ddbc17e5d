using ActorHost.Gateway.Tests.Infrastructure;

namespace ActorHost.Gateway.Tests.Outcomes;

/// <summary>
/// Entity addressing is by key only (Workers README "Pool or entity"): one key, one entity. The key is the route
/// value decoded once from what the client sent, encoded slashes included, so two different keys never reach the
/// same entity, and one key written with upper- or lower-case percent-encoding reaches the same one.
/// </summary>
public sealed class EntityKeyEncodingTests
{
    [Fact]
    public async Task Keys_a_slash_b_and_a_percent_2F_b_are_different_entities()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();
        await using RawHttp slash = await RawHttp.ConnectAsync(gateway.BaseAddress);
        await using RawHttp literal = await RawHttp.ConnectAsync(gateway.BaseAddress);

        // Key "a/b", percent-encoded as a client library does (Uri.EscapeDataString("a/b") == "a%2Fb").
        await slash.SendRawAsync($"POST /counter/{Uri.EscapeDataString("a/b")}/increment HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        (string first, _) = await slash.ReadToEndAsync();

        // Key "a%2Fb" (a literal percent sign), encoded the same way: "a%252Fb".
        await literal.SendRawAsync($"POST /counter/{Uri.EscapeDataString("a%2Fb")}/increment HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        (string second, _) = await literal.ReadToEndAsync();

        Assert.Contains("\"id\":\"a/b\",\"count\":1", first, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"a%2Fb\",\"count\":1", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_percent_encoded_in_lower_case_reaches_the_same_entity_as_in_upper_case()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();

        Http.Answer upper = await gateway.Client.PostAsync("/counter/a%2Fb/increment");
        Http.Answer lower = await gateway.Client.PostAsync("/counter/a%2fb/increment");

        Assert.Equal(1L, upper.Count);
        Assert.Equal(2L, lower.Count);
    }
}
