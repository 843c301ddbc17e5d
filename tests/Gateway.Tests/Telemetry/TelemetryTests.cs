using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Hosting;
using ActorHost.Gateway.Telemetry;
using ActorHost.Gateway.Tests.Infrastructure;
using ActorHost.Workers;
using ActorHost.Workers.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Telemetry;

/// <summary>The metrics and the span of a request say the same as its log line.</summary>
[Collection(ProcessWideTracing.Name)]
public sealed class TelemetryTests
{
    private static RouteOptions Route(string name) => new() { Name = name, Path = "/" + name, Methods = ["GET"], Worker = name };

    [Fact]
    public async Task Finished_request_is_counted_by_route_outcome_and_status_and_its_duration_recorded()
    {
        var counted = new ConcurrentBag<(long Value, Dictionary<string, object?> Tags)>();
        var durations = new ConcurrentBag<(double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GatewayMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "actorhost.gateway.requests")
            {
                counted.Add((value, ToDictionary(tags)));
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "actorhost.gateway.request.duration")
            {
                durations.Add((value, ToDictionary(tags)));
            }
        });
        listener.Start();
        var runtime = new FakeWorkerRuntime()
            .Route(Route("metered-ok"), (_, res, ct) => res.WriteAsync("x", ct).AsTask())
            .Route(Route("metered-fail"), (_, _, _) => throw new InvalidOperationException());
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        await gateway.Client.GetAsync("/metered-ok");
        await gateway.Client.GetAsync("/metered-fail");
        await gateway.Logs.WaitForAsync(_ => gateway.Logs.RequestFinished.Count == 2);

        Assert.Contains(counted, c => Equals(c.Tags["route"], "metered-ok") && Equals(c.Tags["outcome"], "ok") && Equals(c.Tags["status"], 200) && c.Value == 1);
        Assert.Contains(counted, c => Equals(c.Tags["route"], "metered-fail") && Equals(c.Tags["outcome"], "handler_failed") && Equals(c.Tags["status"], 500));
        Assert.Contains(durations, d => Equals(d.Tags["route"], "metered-ok") && d.Value > 0);
    }

    [Fact]
    public async Task Each_request_has_one_server_span_tagged_with_route_worker_incarnation_outcome_and_status()
    {
        using var spans = new SpanRecorder("traced");
        var runtime = new FakeWorkerRuntime().Route(Route("traced"), (_, _, _) => throw new InvalidOperationException());
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using HttpResponseMessage response = await gateway.Client.GetAsync("/traced");
        string problem = await response.Content.ReadAsStringAsync();
        await gateway.Logs.WaitForFinishedAsync("/traced");

        // The span ends when the request's handling returns, just after its request-finished line is written
        // (the line is logged inside the span so that it carries the trace id). The timeout is a failure guard.
        Activity span = await spans.SingleAsync();
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("/user/routes/traced/w1", span.GetTagItem("actorhost.worker.path"));
        Assert.Equal(1, span.GetTagItem("actorhost.worker.incarnation"));
        Assert.Equal("handler_failed", span.GetTagItem("actorhost.outcome"));
        Assert.Equal(500, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Contains(span.TraceId.ToHexString(), problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_server_span_continues_the_trace_the_caller_sent(bool hostingDiagnosticsOn)
    {
        using var spans = new SpanRecorder("continued");
        var runtime = new FakeWorkerRuntime().Route(Route("continued"), (_, res, ct) => res.WriteAsync("x", ct).AsTask());
        // Turned back on, hosting makes an activity of its own for its log scope: the span must not nest under it.
        await using TestGateway gateway = await TestGateway.StartAsync(_ => runtime, configuration: hostingDiagnosticsOn ? HostingDiagnostics("Information") : null);
        ActivityTraceId callerTrace = ActivityTraceId.CreateRandom();
        ActivitySpanId callerSpan = ActivitySpanId.CreateRandom();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/continued");
        request.Headers.Add("traceparent", $"00-{callerTrace.ToHexString()}-{callerSpan.ToHexString()}-01");
        using HttpResponseMessage response = await gateway.Client.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Activity span = await spans.SingleAsync();
        Assert.Equal(callerTrace, span.TraceId);
        Assert.Equal(callerSpan, span.ParentSpanId);
    }

    [Fact]
    public async Task With_a_tracer_on_ASP_NET_Cores_source_too_the_span_is_the_child_of_its_request_span()
    {
        ActivitySpanId callerSpan = ActivitySpanId.CreateRandom();
        var hostingSpan = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var hosting = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            // Hosting's span ends after the response went out, possibly after the client has read it.
            ActivityStopped = activity =>
            {
                if (activity.ParentSpanId == callerSpan)
                {
                    hostingSpan.TrySetResult(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(hosting);
        using var spans = new SpanRecorder("nested");
        var runtime = new FakeWorkerRuntime().Route(Route("nested"), (_, res, ct) => res.WriteAsync("x", ct).AsTask());
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/nested");
        request.Headers.Add("traceparent", $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{callerSpan.ToHexString()}-01");
        using HttpResponseMessage response = await gateway.Client.SendAsync(request);

        Activity span = await spans.SingleAsync();
        Activity parent = await hostingSpan.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(parent.SpanId, span.ParentSpanId);
        Assert.Equal(parent.TraceId, span.TraceId);
    }

    [Fact]
    public async Task Without_tracing_a_problem_response_still_quotes_the_callers_trace_id()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("untraced"), (_, _, _) => throw new InvalidOperationException());
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);
        string callerTrace = ActivityTraceId.CreateRandom().ToHexString();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/untraced");
        request.Headers.Add("traceparent", $"00-{callerTrace}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using HttpResponseMessage response = await gateway.Client.SendAsync(request);
        using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        using HttpResponseMessage plain = await gateway.Client.GetAsync("/untraced");
        using var plainProblem = System.Text.Json.JsonDocument.Parse(await plain.Content.ReadAsStringAsync());

        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal(callerTrace, problem.RootElement.GetProperty("traceId").GetString());
        Assert.False(plainProblem.RootElement.TryGetProperty("traceId", out _), "no trace id is made up when there is no trace");
    }

    [Fact]
    public void Hosting_per_request_diagnostics_are_off_unless_a_configuration_names_their_category()
    {
        static bool HostingLogs(IConfiguration? configuration)
        {
            GatewayApplication app = GatewayApplication.Create(new GatewayStartup
            {
                Settings = TestGateway.LocalSettings(),
                CreateRuntime = _ => new FakeWorkerRuntime(),
                Configuration = configuration,
            });
            try
            {
                // ASP.NET Core's hosting starts an activity and a log scope per request exactly when this is true.
                return app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(GatewayTracing.HostingDiagnosticsCategory).IsEnabled(LogLevel.Critical);
            }
            finally
            {
                app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        Assert.False(HostingLogs(null));
        Assert.True(HostingLogs(HostingDiagnostics("Information")));
    }

    [Fact]
    public async Task Without_tracing_and_with_hosting_diagnostics_on_the_problem_quotes_no_made_up_trace_id()
    {
        // Hosting's own activity (made for its log scope, recorded by no one) must not lend its random trace id.
        var runtime = new FakeWorkerRuntime().Route(Route("untraced-hosting"), (_, _, _) => throw new InvalidOperationException());
        await using TestGateway gateway = await TestGateway.StartAsync(_ => runtime, configuration: HostingDiagnostics("Information"));

        using HttpResponseMessage response = await gateway.Client.GetAsync("/untraced-hosting");
        using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(500, (int)response.StatusCode);
        Assert.False(problem.RootElement.TryGetProperty("traceId", out System.Text.Json.JsonElement traceId),
            $"no trace id is made up when there is no trace (got {traceId})");
    }

    [Fact]
    public async Task A_gateway_fault_the_runtime_reports_as_the_result_is_Critical_with_its_exception_and_an_Error_span()
    {
        // What ClusterWorkerRuntime and RequestForwarder report for a bug in forwarding or a refusal by the owner.
        using var spans = new SpanRecorder("faulty");
        var runtime = new FakeWorkerRuntime().Route(Route("faulty"), (_, _, _) => Task.CompletedTask);
        var bug = new InvalidOperationException("a bug in forwarding");
        runtime.ImmediateResults["faulty"] = new RequestResult(RequestOutcome.GatewayFault, bug);
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using HttpResponseMessage response = await gateway.Client.GetAsync("/faulty");
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/faulty");
        Activity span = await spans.SingleAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("gateway_fault", line.Text("Outcome"));
        Assert.Equal(LogLevel.Critical, line.Level);
        CapturedLog fault = Assert.Single(gateway.Logs.Records, r => r.EventId.Name == "GatewayFault");
        Assert.Equal(LogLevel.Critical, fault.Level);
        Assert.Same(bug, fault.Exception);
        Assert.Equal("/faulty", fault.Text("Path"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
    }

    [Theory]
    [InlineData(RequestOutcome.WorkerStopped)]
    [InlineData(RequestOutcome.ShardUnavailable)]
    [InlineData(RequestOutcome.Rejected)]
    public async Task A_503_the_gateway_answers_marks_its_span_Error_with_the_status_as_error_type(RequestOutcome outcome)
    {
        string name = "unavailable-" + outcome.ToWord();
        using var spans = new SpanRecorder(name);
        var runtime = new FakeWorkerRuntime().Route(Route(name), (_, _, _) => Task.CompletedTask);
        runtime.ImmediateResults[name] = new RequestResult(outcome);
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using HttpResponseMessage response = await gateway.Client.GetAsync("/" + name);
        Activity span = await spans.SingleAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(503, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("503", span.GetTagItem("error.type"));
    }

    [Theory]
    [InlineData("GET", "/no-such-route", 404)]
    [InlineData("DELETE", "/known", 405)]
    public async Task A_request_no_route_serves_gets_its_problem_its_one_line_its_count_under_a_fixed_route_and_a_span_named_by_its_method(
        string method, string path, int status)
    {
        var counted = new ConcurrentBag<Dictionary<string, object?>>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GatewayMetrics.MeterName && instrument.Name == "actorhost.gateway.requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => counted.Add(ToDictionary(tags)));
        listener.Start();
        ActivityTraceId trace = ActivityTraceId.CreateRandom();
        using var spans = new SpanRecorder(activity => activity.TraceId == trace);
        var runtime = new FakeWorkerRuntime().Route(Route("known"), (_, res, ct) => res.WriteAsync("x", ct).AsTask());
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using HttpResponseMessage response = await gateway.Client.SendAsync(request);
        using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        CapturedLog line = await gateway.Logs.WaitForAsync(r => r.Category == "ActorHost.Requests" && r.Text("Path") == path);
        Activity span = await spans.SingleAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        if (status == 405)
        {
            Assert.Equal(["GET"], response.Content.Headers.Allow);
        }

        Assert.Single(gateway.Logs.RequestFinished, r => r.Text("Path") == path);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(method, line.Text("Method"));
        Assert.Equal(status, line["Status"]);
        Assert.Equal("client_error", line.Text("Outcome"));
        Assert.Equal("", line.Text("Route"));
        Assert.Contains(counted, tags => Equals(tags["route"], "") && Equals(tags["status"], status) && Equals(tags["outcome"], "client_error"));
        Assert.DoesNotContain(counted, tags => Equals(tags["route"], path));
        Assert.Equal(method, span.DisplayName);
        Assert.Null(span.GetTagItem("http.route"));
        Assert.Equal(status, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    private static IConfiguration HostingDiagnostics(string level) => new ConfigurationBuilder()
        .AddInMemoryCollection([new($"Logging:LogLevel:{GatewayTracing.HostingDiagnosticsCategory}", level)])
        .Build();

    [Fact]
    public async Task Gateway_with_OTLP_export_on_serves_and_stops_even_without_a_collector()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("exported"), (_, res, ct) => res.WriteAsync("x", ct).AsTask());
        var settings = new GatewaySettings { Otlp = new OtlpOptions { Enabled = true, Endpoint = new Uri("http://127.0.0.1:9") } };
        await using TestGateway gateway = await TestGateway.StartAsync(runtime, settings);

        string body = await gateway.Client.GetStringAsync("/exported");

        Assert.Equal("x", body);
        Assert.NotNull(gateway.App.Services.GetService(typeof(OtlpExport)));
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }

    /// <summary>Records the gateway's spans of one route; the first one's end is awaited with a failure guard.</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private readonly ConcurrentBag<Activity> _spans = [];
        private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ActivityListener _listener;

        public SpanRecorder(string route)
            : this(activity => Equals(activity.GetTagItem("actorhost.route"), route))
        {
        }

        public SpanRecorder(Func<Activity, bool> match)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == GatewayTracing.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (match(activity))
                    {
                        _spans.Add(activity);
                        _stopped.TrySetResult();
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public async Task<Activity> SingleAsync()
        {
            await _stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return Assert.Single(_spans);
        }

        public void Dispose() => _listener.Dispose();
    }
}
