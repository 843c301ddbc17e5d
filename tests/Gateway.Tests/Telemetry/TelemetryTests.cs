using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Hosting;
using ActorHost.Gateway.Telemetry;
using ActorHost.Gateway.Tests.Infrastructure;
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
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == GatewayTracing.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (Equals(activity.GetTagItem("actorhost.route"), route))
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
