using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ActorHost.Actors.TestKit;
using ActorHost.Gateway.Tests.Infrastructure;
using ActorHost.Gateway.Tests.Outcomes;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Management;

/// <summary>The read views of the management API on a real gateway: /workers, /events, /stats, /metrics, /dashboard.</summary>
public sealed class ObservationApiTests
{
    private const string Token = "s3cret-token";

    [Fact]
    public async Task An_event_stream_keeps_one_keep_alive_timer_however_many_events_wake_it()
    {
        var clock = new ManualTimeProvider();
        await using RealGateway gateway = await RealGateway.StartAsync(clock, "");
        await gateway.Client.PostAsync("/counter/k0/increment");
        await using SseStream events = await SseStream.OpenAsync(gateway.Management, "?since=0");
        await events.ReadUntilAsync(e => e.Type.StartsWith("worker.", StringComparison.Ordinal));
        int timersBefore = clock.PendingTimerCount;

        // Every failure appends events and wakes the stream; the clock never moves, so no keep-alive wait ever ends.
        const int failures = 30;
        for (int i = 0; i < failures; i++)
        {
            await gateway.Client.PostAsync("/counter/k0/fail");
        }

        int restarts = 0;
        await events.ReadUntilAsync(e => e.Type == "worker.restarted" && ++restarts == failures);

        Assert.InRange(clock.PendingTimerCount, 0, timersBefore + 1);
    }

    [Fact]
    public async Task Workers_shows_a_failed_entity_restarted_with_its_last_failure_and_the_routes_strategy_origin()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();
        await gateway.Client.PostAsync("/counter/w1/increment");
        Http.Answer failed = await gateway.Client.PostAsync("/counter/w1/fail");
        await using SseStream events = await SseStream.OpenAsync(gateway.Management, "?since=0");
        await events.ReadUntilAsync(e => e.Type == "worker.restarted");

        JsonElement route = await RouteAsync(gateway, "/workers?route=counter");
        JsonElement worker = route.GetProperty("page").GetProperty("workers").EnumerateArray().Single(w => w.GetProperty("entityKey").GetString() == "w1");

        Assert.Equal(500, failed.Status);
        Assert.Equal("entity", route.GetProperty("mode").GetString());
        Assert.Equal("/user/routes/counter/w1", worker.GetProperty("path").GetString());
        Assert.Equal(2, worker.GetProperty("incarnation").GetInt32());
        Assert.Equal(1, worker.GetProperty("restarts").GetInt32());
        Assert.Equal(1, worker.GetProperty("failures").GetInt32());
        Assert.Equal("running", worker.GetProperty("state").GetString());
        Assert.True(worker.GetProperty("processed").GetInt64() >= 2);
        Assert.Equal(0, worker.GetProperty("mailboxDepth").GetInt32());
        JsonElement lastFailure = worker.GetProperty("lastFailure");
        Assert.Equal("System.InvalidOperationException", lastFailure.GetProperty("type").GetString());
        Assert.Equal("restart", lastFailure.GetProperty("directive").GetString());
        Assert.False(string.IsNullOrEmpty(lastFailure.GetProperty("message").GetString()));
        JsonElement strategy = route.GetProperty("strategy");
        Assert.Equal("restart", strategy.GetProperty("decider").EnumerateArray().Last().GetProperty("directive").GetString());
        Assert.Contains(".conf:", strategy.GetProperty("origin").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, route.GetProperty("totals").GetProperty("restarts").GetInt64());
    }

    [Fact]
    public async Task Worker_stopped_because_its_restart_failed_is_listed_logged_and_counted_as_stopped()
    {
        // Constructor calls of the route: 1 and 2 start worker-1 and worker-2, 3 is the restart after the failure.
        await using RealGateway gateway = await RealGateway.StartAsync("""
            actorhost.routes.pool { path = "/pool/{**action}", methods = [POST], worker = gate, mode = pool, instances = 2, router = round-robin }
            actorhost.faults { enabled = on, rules = [{ route = pool, point = constructor, nth = 3 }] }
            """);
        await using SseStream events = await SseStream.OpenAsync(gateway.Management, "?since=0");

        Http.Answer failed = await gateway.Client.PostAsync("/pool/fail");
        List<SseEvent> seen = await events.ReadUntilAsync(e => e.Type == "worker.stopped");
        CapturedLog line = await gateway.Logs.WaitForAsync(r => r.EventId.Name == "WorkerStopped");
        // The log and the metrics are one subscriber, in stream order: once a later event's line is written, the stop is counted.
        await gateway.Client.PostAsync("/counter/later/increment");
        await gateway.Logs.WaitForAsync(r => r.EventId.Name == "WorkerStarted" && r.Text("Path") == "/user/routes/counter/later");
        JsonElement route = await RouteAsync(gateway, "/workers?route=pool");
        string metrics = await gateway.Management.GetStringAsync("/metrics");

        Assert.Equal(500, failed.Status);
        Assert.Equal(["restart", "stop"], seen.Where(e => e.Type == "worker.failed").Select(e => e.Payload.GetProperty("directive").GetString()));
        JsonElement stopped = seen[^1].Payload;
        Assert.Equal("stopped", stopped.GetProperty("reason").GetString());
        Assert.Equal((stopped.GetProperty("path").GetString(), "stopped"), (line.Text("Path"), line.Text("Reason")));
        Assert.Equal(1, route.GetProperty("totals").GetProperty("stopped").GetInt32());
        Assert.Equal(1, route.GetProperty("totals").GetProperty("running").GetInt32());
        Assert.Contains("actorhost_worker_stops_total{reason=\"stopped\",route=\"pool\"} 1\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workers_pages_and_filters_while_totals_cover_every_worker()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();
        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => gateway.Client.PostAsync($"/counter/e{i}/increment")));

        JsonElement page = await RouteAsync(gateway, "/workers?route=counter&offset=10&limit=10");
        JsonElement filtered = await RouteAsync(gateway, "/workers?route=counter&q=e2");
        using HttpResponseMessage badLimit = await gateway.Management.GetAsync("/workers?limit=100000");
        using JsonDocument all = JsonDocument.Parse(await gateway.Management.GetStringAsync("/workers?limit=0"));

        Assert.Equal(30, page.GetProperty("totals").GetProperty("workers").GetInt32());
        Assert.Equal(30, page.GetProperty("page").GetProperty("total").GetInt32());
        Assert.Equal(10, page.GetProperty("page").GetProperty("workers").GetArrayLength());
        Assert.Equal(["e2", "e20", "e21", "e22", "e23", "e24", "e25", "e26", "e27", "e28", "e29"],
            filtered.GetProperty("page").GetProperty("workers").EnumerateArray().Select(w => w.GetProperty("entityKey").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Contains(all.RootElement.GetProperty("routes").EnumerateArray(), r => r.GetProperty("name").GetString() == "echo"
            && r.GetProperty("mode").GetString() == "pool" && r.GetProperty("totals").GetProperty("workers").GetInt32() == r.GetProperty("instances").GetInt32());
    }

    [Fact]
    public async Task Events_carry_failure_directive_and_restart_with_contiguous_ids_and_resume_after_since()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();
        await using SseStream live = await SseStream.OpenAsync(gateway.Management, "?since=0");
        await gateway.Client.PostAsync("/counter/s1/fail");
        List<SseEvent> first = await live.ReadUntilAsync(e => e.Type == "worker.restarted");
        SseEvent failed = first.Single(e => e.Type == "worker.failed");

        await gateway.Client.PostAsync("/counter/s1/fail");
        await using SseStream resumed = await SseStream.OpenAsync(gateway.Management, $"?since={failed.Id}");
        List<SseEvent> afterResume = await resumed.ReadUntilAsync(e => e.Type == "worker.restarted" && e.Payload.GetProperty("incarnation").GetInt32() == 3);
        await using SseStream byHeader = await SseStream.OpenAsync(gateway.Management, lastEventId: failed.Id);
        SseEvent? firstByHeader = await byHeader.NextAsync();

        Assert.Equal("restart", failed.Payload.GetProperty("directive").GetString());
        Assert.Equal("System.InvalidOperationException", failed.Payload.GetProperty("exception").GetString());
        Assert.Equal("/user/routes/counter/s1", failed.Payload.GetProperty("path").GetString());
        AssertContiguous(first);
        Assert.Equal(failed.Id + 1, afterResume[0].Id);
        AssertContiguous(afterResume);
        Assert.Equal(failed.Id + 1, firstByHeader?.Id);
        Assert.Equal("text/event-stream", live.Response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Events_say_explicitly_when_the_requested_id_is_older_than_the_buffer_or_unknown()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("actorhost.management.events-buffer = 16");
        await using SseStream live = await SseStream.OpenAsync(gateway.Management);
        for (int i = 0; i < 10; i++)
        {
            await gateway.Client.PostAsync("/counter/g1/fail");
        }

        await live.ReadUntilAsync(e => e.Type == "worker.restarted" && e.Payload.GetProperty("incarnation").GetInt32() == 11);
        await using SseStream tooOld = await SseStream.OpenAsync(gateway.Management, "?since=1");
        SseEvent? gap = await tooOld.NextAsync();
        SseEvent? next = await tooOld.NextAsync();
        await using SseStream unknown = await SseStream.OpenAsync(gateway.Management, "?since=999999");
        SseEvent? unknownGap = await unknown.NextAsync();
        using HttpResponseMessage invalid = await gateway.Management.GetAsync("/events?since=abc");

        Assert.Equal("gap", gap?.Type);
        Assert.Null(gap!.Id);
        Assert.Equal("too-old", gap.Json.GetProperty("reason").GetString());
        long oldest = gap.Json.GetProperty("oldestId").GetInt64();
        Assert.Equal(oldest - 2, gap.Json.GetProperty("missed").GetInt64());
        Assert.Equal(oldest, next?.Id);
        Assert.Equal("unknown-id", unknownGap?.Json.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task Stats_count_by_outcome_and_status_with_latency_percentiles_and_the_stream_summarises_them()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();
        await using SseStream live = await SseStream.OpenAsync(gateway.Management);
        for (int i = 0; i < 3; i++)
        {
            await gateway.Client.PostAsync("/counter/st/increment");
        }

        await gateway.Client.PostAsync("/counter/st/fail");
        long summarised = 0;
        await live.ReadUntilAsync(e => e.Type == "requests" && (summarised += CountFor(e, "counter")) >= 4);

        using JsonDocument stats = JsonDocument.Parse(await gateway.Management.GetStringAsync("/stats"));
        JsonElement counter = stats.RootElement.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("route").GetString() == "counter");

        Assert.Equal(4, counter.GetProperty("total").GetInt64());
        Assert.Equal(3, counter.GetProperty("byOutcome").GetProperty("ok").GetInt64());
        Assert.Equal(1, counter.GetProperty("byOutcome").GetProperty("handler_failed").GetInt64());
        Assert.Equal(3, counter.GetProperty("byStatus").GetProperty("200").GetInt64());
        Assert.Equal(1, counter.GetProperty("byStatus").GetProperty("500").GetInt64());
        JsonElement latency = counter.GetProperty("window").GetProperty("latencyMs");
        Assert.Equal(4, latency.GetProperty("samples").GetInt32());
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p90").GetDouble());
        Assert.True(latency.GetProperty("p90").GetDouble() <= latency.GetProperty("p99").GetDouble());
        Assert.True(counter.GetProperty("window").GetProperty("ratePerSecond").GetDouble() > 0);
        Assert.Equal(60, stats.RootElement.GetProperty("windowSeconds").GetInt32());
    }

    [Fact]
    public async Task Metrics_are_valid_Prometheus_text_with_request_and_worker_families()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();
        await using SseStream live = await SseStream.OpenAsync(gateway.Management);
        await gateway.Client.PostAsync("/counter/m1/increment");
        await gateway.Client.PostAsync("/counter/m1/fail");
        await gateway.Client.SendAsync(HttpMethod.Post, "/echo", new StringContent("hi"));
        long summarised = 0;
        await live.ReadUntilAsync(e => e.Type == "requests" && (summarised += CountFor(e, "counter") + CountFor(e, "echo")) >= 3);

        using HttpResponseMessage response = await gateway.Management.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Empty(PrometheusFormatChecker.Check(text));
        Assert.Contains("actorhost_gateway_requests_total{outcome=\"ok\",route=\"counter\",status=\"200\",via=\"client\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("actorhost_gateway_requests_total{outcome=\"handler_failed\",route=\"counter\",status=\"500\",via=\"client\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE actorhost_gateway_request_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("actorhost_gateway_request_duration_seconds_bucket{outcome=\"ok\",route=\"echo\",via=\"client\",le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("actorhost_worker_restarts_total{route=\"counter\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE actorhost_worker_live gauge\n", text, StringComparison.Ordinal);

        // The runtime's own meter rides along: GC and allocation figures beside the request figures.
        Assert.Contains("# TYPE dotnet_gc_collections_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total{gc_heap_generation=\"gen0\"} ", text, StringComparison.Ordinal);
        Assert.Contains("\ndotnet_gc_heap_total_allocated_bytes_total ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_and_dropping_streams_need_the_token_404_without_one_configured_401_and_logged_when_wrong()
    {
        await using (RealGateway open = await RealGateway.StartAsync())
        {
            using HttpResponseMessage noToken = await Post(open, "/shutdown", Token);
            Assert.Equal(HttpStatusCode.NotFound, noToken.StatusCode);
        }

        await using RealGateway gateway = await RealGateway.StartAsync($"actorhost.management.token = \"{Token}\"");
        using HttpResponseMessage missing = await Post(gateway, "/shutdown", null);
        using HttpResponseMessage wrong = await Post(gateway, "/shutdown", Token + "x");
        using HttpResponseMessage wrongDrop = await Post(gateway, "/events/disconnect", "nope");
        using HttpResponseMessage ready = await gateway.Management.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongDrop.StatusCode);
        Assert.Equal(3, gateway.Logs.Records.Count(r => r.EventId.Name == "ManagementRefused" && r.Level == LogLevel.Warning));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Shutdown_with_the_token_starts_the_graceful_shutdown_once()
    {
        await using RealGateway gateway = await RealGateway.StartAsync($"actorhost.management.token = \"{Token}\"");

        using HttpResponseMessage first = await Post(gateway, "/shutdown", Token);
        using JsonDocument body = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        using HttpResponseMessage ready = await gateway.Management.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.True(body.RootElement.GetProperty("started").GetBoolean());
        // The answer shows the shutdown under way, named as the log names its phases (it said "Running" before).
        Assert.Equal("drain-delay", body.RootElement.GetProperty("phase").GetString());
        Assert.Equal("POST /shutdown", body.RootElement.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains(gateway.Logs.Records, r => r.EventId.Name == "ShutdownRequested");
    }

    [Fact]
    public async Task Dropped_event_streams_resume_with_Last_Event_ID_without_losing_events()
    {
        await using RealGateway gateway = await RealGateway.StartAsync($"actorhost.management.token = \"{Token}\"");
        await using SseStream first = await SseStream.OpenAsync(gateway.Management, "?since=0");
        await gateway.Client.PostAsync("/counter/d1/fail");
        List<SseEvent> before = await first.ReadUntilAsync(e => e.Type == "worker.restarted");

        using HttpResponseMessage dropped = await Post(gateway, "/events/disconnect", Token);
        // Events already on their way when the disconnect came (the per-second request summary, say) still
        // arrive; then the stream ends. A bounded number, so a stream that never ends fails the test.
        List<SseEvent> received = [.. before];
        int late = 0;
        while (await first.NextAsync() is { } pending)
        {
            received.Add(pending);
            Assert.True(++late <= 5, "the stream did not end after the disconnect");
        }

        await gateway.Client.PostAsync("/counter/d1/fail");
        await using SseStream second = await SseStream.OpenAsync(gateway.Management, "?since=0", lastEventId: received[^1].Id);
        List<SseEvent> after = await second.ReadUntilAsync(e => e.Type == "worker.restarted");

        Assert.Equal(HttpStatusCode.OK, dropped.StatusCode);
        AssertContiguous([.. received, .. after]);
    }

    [Fact]
    public async Task Dashboard_is_served_from_the_assembly_with_no_external_resources()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();

        using HttpResponseMessage page = await gateway.Management.GetAsync("/dashboard");
        string html = await page.Content.ReadAsStringAsync();
        using HttpResponseMessage script = await gateway.Management.GetAsync("/dashboard/app.js");
        string js = await script.Content.ReadAsStringAsync();
        using HttpResponseMessage css = await gateway.Management.GetAsync("/dashboard/app.css");
        using HttpResponseMessage missing = await gateway.Management.GetAsync("/dashboard/secrets.json");
        using HttpResponseMessage notOnGateway = await gateway.Client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Supervision tree", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("new EventSource(", js, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notOnGateway.StatusCode);
        // Only the SVG namespace name may look like an address; nothing is loaded from another origin.
        string everything = (html + js).Replace("http://www.w3.org/2000/svg", "svg-namespace", StringComparison.Ordinal);
        Assert.DoesNotContain("http://", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("//", html.Replace("<!--", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopping_gateway_ends_an_open_event_stream_cleanly_with_a_shutdown_event()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();
        await using SseStream events = await SseStream.OpenAsync(gateway.Management);

        await gateway.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));

        // The last event says why, then the response ends (no reset): NextAsync would throw on a broken stream.
        List<SseEvent> seen = await events.ReadUntilAsync(e => e.Type == "shutdown");
        Assert.Equal("shutdown", seen[^1].Json.GetProperty("type").GetString());
        Assert.Null(await events.NextAsync());
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("W/{0}")]
    [InlineData("\"other\", {0}")]
    [InlineData("*")]
    public async Task A_dashboard_asset_the_browser_has_is_304_with_its_validator(string ifNoneMatch)
    {
        await using RealGateway gateway = await RealGateway.StartAsync();
        using HttpResponseMessage first = await gateway.Management.GetAsync("/dashboard/app.js");
        string etag = first.Headers.ETag!.Tag;

        using var again = new HttpRequestMessage(HttpMethod.Get, "/dashboard/app.js");
        again.Headers.TryAddWithoutValidation("If-None-Match", string.Format(System.Globalization.CultureInfo.InvariantCulture, ifNoneMatch, etag));
        using HttpResponseMessage cached = await gateway.Management.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
        Assert.Equal(etag, cached.Headers.ETag?.Tag);
        Assert.Equal("no-cache", cached.Headers.CacheControl?.ToString());
    }

    private static async Task<JsonElement> RouteAsync(RealGateway gateway, string url)
    {
        using JsonDocument doc = JsonDocument.Parse(await gateway.Management.GetStringAsync(url));
        return doc.RootElement.GetProperty("routes").EnumerateArray().Single().Clone();
    }

    private static long CountFor(SseEvent summary, string route) =>
        summary.Payload.GetProperty("routes").EnumerateArray()
            .Where(r => r.GetProperty("route").GetString() == route)
            .Sum(r => r.GetProperty("count").GetInt64());

    private static void AssertContiguous(IReadOnlyList<SseEvent> events)
    {
        long[] ids = [.. events.Where(e => e.Id is not null).Select(e => e.Id!.Value)];
        Assert.Equal(Enumerable.Range(0, ids.Length).Select(i => ids[0] + i), ids);
    }

    private static async Task<HttpResponseMessage> Post(RealGateway gateway, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await gateway.Management.SendAsync(request);
    }
}
