using System.Diagnostics;
using System.Text.Json;
using ActorHost.Gateway.Tests.Infrastructure;

namespace ActorHost.Gateway.Tests.Outcomes;

/// <summary>
/// README "Outcomes": when nothing was sent, the client gets the gateway's problem document (type, title, status,
/// requestId, traceId). A 4xx is outcome <c>client_error</c> whether the gateway refused the input (413) or the
/// handler did (<c>ClientInputException</c>): the client must be able to read both the same way.
/// </summary>
public sealed class ClientErrorProblemTests
{
    [Fact]
    public async Task A_handlers_ClientInputException_is_answered_with_the_same_problem_document_as_the_gateways_own_4xx()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("actorhost.gateway.max-request-body-size = 16");
        string callerTrace = ActivityTraceId.CreateRandom().ToHexString();

        using JsonDocument gatewayRefusal = await ProblemAsync(gateway, "/echo", new string('x', 100), callerTrace);
        using JsonDocument handlerRefusal = await ProblemAsync(gateway, "/counter/p1/no-such-action", "", callerTrace);

        Assert.Equal("urn:actorhost:outcome:client_error", gatewayRefusal.RootElement.GetProperty("type").GetString());
        Assert.Equal(callerTrace, gatewayRefusal.RootElement.GetProperty("traceId").GetString());
        Assert.Equal(404, handlerRefusal.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("urn:actorhost:outcome:client_error", handlerRefusal.RootElement.GetProperty("type").GetString());
        Assert.Equal("client_error", handlerRefusal.RootElement.TryGetProperty("outcome", out JsonElement outcome) ? outcome.GetString() : null);
        Assert.Equal(callerTrace, handlerRefusal.RootElement.TryGetProperty("traceId", out JsonElement trace) ? trace.GetString() : null);
        Assert.Contains("no-such-action", handlerRefusal.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> ProblemAsync(RealGateway gateway, string path, string body, string traceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using HttpResponseMessage response = await gateway.Client.SendAsync(request);
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
