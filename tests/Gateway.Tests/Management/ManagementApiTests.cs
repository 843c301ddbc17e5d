using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ActorHost.Gateway.Tests.Infrastructure;
using ActorHost.Gateway.Tests.Outcomes;
using ActorHost.Workers.Faults;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Management;

/// <summary>The management listener: its own port, health endpoints, and the token rules of the mutating ones.</summary>
public sealed class ManagementApiTests
{
    private const string WithToken = """
        actorhost.management.token = "s3cret-token"
        actorhost.faults.enabled = on
        """;

    [Fact]
    public async Task Alive_and_ready_answer_200_on_the_management_port_only()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();

        using HttpResponseMessage alive = await gateway.Management.GetAsync("/alive");
        using HttpResponseMessage ready = await gateway.Management.GetAsync("/ready");
        using HttpResponseMessage notOnGateway = await gateway.Client.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notOnGateway.StatusCode);
        Assert.NotEqual(gateway.BaseAddress.Port, gateway.ManagementAddress.Port);
    }

    [Fact]
    public async Task Mutating_endpoints_do_not_exist_when_no_token_is_configured()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("actorhost.faults.enabled = on");

        using HttpResponseMessage response = await Send(gateway, HttpMethod.Post, "/faults", "anything", new { route = "echo" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Missing_or_wrong_token_is_refused_401_and_logged()
    {
        await using RealGateway gateway = await RealGateway.StartAsync(WithToken);

        using HttpResponseMessage missing = await Send(gateway, HttpMethod.Post, "/faults", null, new { route = "echo" });
        using HttpResponseMessage wrong = await Send(gateway, HttpMethod.Post, "/faults", "s3cret-tokem", new { route = "echo" });

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(2, gateway.Logs.Records.Count(r => r.EventId.Name == "ManagementRefused" && r.Level == LogLevel.Warning));
        Assert.Empty(gateway.Runtime.Faults.Rules);
    }

    [Theory]
    [InlineData("POST", "/faults", "{not json", "application/json")]
    [InlineData("POST", "/faults", "{}", "text/plain")]
    [InlineData("GET", "/faults", null, null)]
    [InlineData("DELETE", "/faults", null, null)]
    [InlineData("DELETE", "/faults/1", null, null)]
    [InlineData("POST", "/events/disconnect", null, null)]
    [InlineData("POST", "/shutdown", "{}", "application/json")]
    public async Task Every_protected_endpoint_checks_the_token_before_it_reads_the_request(string method, string path, string? body, string? contentType)
    {
        await using RealGateway gateway = await RealGateway.StartAsync(WithToken);

        // A body the endpoint could not read must not decide the answer: who is asking comes first.
        using HttpResponseMessage response = await SendRaw(gateway, new HttpMethod(method), path, "wrong-token", body, contentType);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        CapturedLog refused = Assert.Single(gateway.Logs.Records, r => r.EventId.Name == "ManagementRefused");
        Assert.Equal(path, refused.Text("Path"));
        Assert.Equal(200, (await gateway.Client.GetAnswerAsync("/counter/t1")).Status);
    }

    [Theory]
    [InlineData("""{ "route": "counter", "nht": 3 }""", "unknown field \"nht\"")]
    [InlineData("""{ "route": "counter", "point": "after-bytes", "after-bytes": 100 }""", "in JSON it is afterBytes")]
    [InlineData("""{ "route": "counter", "exit-code": 3 }""", "in JSON it is exitCode")]
    [InlineData("""{ "route": "counter", "point": "hang", "hangLimitMs": 9223372036854775807 }""", "hangLimitMs: must be between 1 and")]
    [InlineData("""{ "route": "counter", "hangLimitMs": 0 }""", "hangLimitMs: must be between 1 and")]
    [InlineData("""{ "route": "counter", "exception": null }""", "exception: must be a string")]
    [InlineData("""{ "route": "counter", "nth": "three" }""", "nth: must be a whole number")]
    [InlineData("""{ "route": "counter", "exitCode": 99999999999 }""", "exitCode: must be a whole number")]
    [InlineData("""[ "counter" ]""", "must be a JSON object")]
    [InlineData("""{ "route": "counter" """, "not valid JSON")]
    public async Task Fault_rule_the_body_does_not_fully_describe_is_refused_400_naming_the_field(string body, string detail)
    {
        await using RealGateway gateway = await RealGateway.StartAsync(WithToken);

        // Ignoring an unknown field installs another rule than the one asked for: without its trigger, the first
        // body would fail every call of the route.
        using HttpResponseMessage response = await SendRaw(gateway, HttpMethod.Post, "/faults", "s3cret-token", body, "application/json");
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(gateway.Runtime.Faults.Rules);
    }

    [Fact]
    public async Task Fault_rule_with_a_body_that_is_not_json_is_refused_415()
    {
        await using RealGateway gateway = await RealGateway.StartAsync(WithToken);

        using HttpResponseMessage response = await SendRaw(gateway, HttpMethod.Post, "/faults", "s3cret-token", "route=counter", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(gateway.Runtime.Faults.Rules);
    }

    [Fact]
    public async Task Listed_fault_rule_shows_every_field_including_what_it_does_when_it_fires()
    {
        await using RealGateway gateway = await RealGateway.StartAsync(WithToken);

        using HttpResponseMessage added = await SendRaw(gateway, HttpMethod.Post, "/faults", "s3cret-token",
            """{ "route": "counter", "worker": "z", "point": "hang", "exitCode": 42, "message": "game day", "hangLimitMs": 2500 }""", "application/json");
        using HttpResponseMessage listed = await Send(gateway, HttpMethod.Get, "/faults", "s3cret-token", null);
        using JsonDocument rules = JsonDocument.Parse(await listed.Content.ReadAsStringAsync());
        JsonElement rule = rules.RootElement.GetProperty("rules")[0];

        // A rule that ends the process on its next match must not be listed like one that throws.
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(42, rule.GetProperty("exitCode").GetInt32());
        Assert.Equal("game day", rule.GetProperty("message").GetString());
        Assert.Equal(2500, rule.GetProperty("hangLimitMs").GetInt64());
        Assert.Equal("hang", rule.GetProperty("point").GetString());
        Assert.Equal(JsonValueKind.Null, rule.GetProperty("origin").ValueKind);
    }

    [Fact]
    public async Task Fault_rule_added_with_the_token_fails_the_next_request_and_can_be_removed()
    {
        await using RealGateway gateway = await RealGateway.StartAsync(WithToken);

        using HttpResponseMessage added = await Send(gateway, HttpMethod.Post, "/faults", "s3cret-token",
            new { route = "counter", point = "before-handle", nth = 1, exception = "System.TimeoutException" });
        Http.Answer failed = await gateway.Client.PostAsync("/counter/f1/increment");
        using HttpResponseMessage cleared = await Send(gateway, HttpMethod.Delete, "/faults", "s3cret-token", null);
        Http.Answer ok = await gateway.Client.PostAsync("/counter/f1/increment");

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(500, failed.Status);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Empty(gateway.Runtime.Faults.Rules);
        Assert.Equal(200, ok.Status);
    }

    [Fact]
    public async Task Fault_rule_added_with_probability_zero_never_fires_but_counts_its_calls()
    {
        await using RealGateway gateway = await RealGateway.StartAsync(WithToken);

        using HttpResponseMessage added = await Send(gateway, HttpMethod.Post, "/faults", "s3cret-token",
            new { route = "counter", point = "before-handle", probability = 0.0 });
        Http.Answer first = await gateway.Client.PostAsync("/counter/p0/increment");
        Http.Answer second = await gateway.Client.PostAsync("/counter/p0/increment");
        using HttpResponseMessage listed = await Send(gateway, HttpMethod.Get, "/faults", "s3cret-token", null);
        string rules = await listed.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal((200, 200), (first.Status, second.Status));
        FaultRuleStatus status = Assert.Single(gateway.Runtime.Faults.Rules);
        Assert.Equal((0.0, 2L, 0L), (status.Rule.Probability, status.Calls, status.Fired));
        Assert.Contains("\"probability\":0", rules, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_fault_rule_is_refused_400_with_the_reason()
    {
        await using RealGateway gateway = await RealGateway.StartAsync(WithToken);

        using HttpResponseMessage response = await Send(gateway, HttpMethod.Post, "/faults", "s3cret-token", new { point = "sideways" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("sideways", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Send(RealGateway gateway, HttpMethod method, string path, string? token, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await gateway.Management.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> SendRaw(RealGateway gateway, HttpMethod method, string path, string? token, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType ?? "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await gateway.Management.SendAsync(request);
    }
}
