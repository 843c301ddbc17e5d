using System.Collections.Concurrent;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Telemetry;
using ActorHost.Gateway.Tests.Infrastructure;
using ActorHost.Workers.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Telemetry;

/// <summary>OTLP export reaches the paths a collector serves.</summary>
[Collection(ProcessWideTracing.Name)]
public sealed class OtlpExportTests
{
    [Theory]
    [InlineData("", "/v1/traces", "/v1/metrics")]
    [InlineData("otlp", "/otlp/v1/traces", "/otlp/v1/metrics")]
    [InlineData("otlp/", "/otlp/v1/traces", "/otlp/v1/metrics")]
    public async Task Http_protobuf_posts_traces_and_metrics_to_their_signal_paths_under_the_endpoint(
        string endpointPath, string tracesPath, string metricsPath)
    {
        await using StandInCollector collector = await StandInCollector.StartAsync(tracesPath, metricsPath);
        var runtime = new FakeWorkerRuntime().Route(
            new RouteOptions { Name = "exported", Path = "/exported", Methods = ["GET"], Worker = "exported" },
            (_, res, ct) => res.WriteAsync("x", ct).AsTask());
        var settings = new GatewaySettings
        {
            Otlp = new OtlpOptions
            {
                Enabled = true,
                Endpoint = new Uri(collector.Address, endpointPath),
                Protocol = OtlpWireProtocol.HttpProtobuf,
            },
        };

        await using (TestGateway gateway = await TestGateway.StartAsync(runtime, settings))
        {
            Assert.Equal("x", await gateway.Client.GetStringAsync("/exported"));
        }

        // Stopping the gateway disposes the providers, which flush both signals.
        await collector.Decided.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Empty(collector.UnexpectedPaths);
        Assert.Empty(collector.PendingPaths);
    }

    [Fact]
    public void Grpc_sends_to_the_endpoint_as_given()
    {
        var options = new OtlpOptions { Endpoint = new Uri("http://collector:4317"), Protocol = OtlpWireProtocol.Grpc };

        Assert.Equal(new Uri("http://collector:4317"), OtlpExport.SignalEndpoint(options, "v1/traces"));
    }

    /// <summary>
    /// An OTLP/HTTP collector on loopback Kestrel: it answers 200 on the expected paths and 404 on any other
    /// (as a real collector does). <see cref="Decided"/> completes once every expected path received a POST,
    /// or at the first POST to another path.
    /// </summary>
    private sealed class StandInCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HashSet<string> _expected;
        private readonly ConcurrentDictionary<string, bool> _pending;
        private readonly TaskCompletionSource _decided = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private StandInCollector(WebApplication app, IEnumerable<string> expectedPaths)
        {
            _app = app;
            _expected = new(expectedPaths, StringComparer.Ordinal);
            _pending = new(_expected.Select(p => KeyValuePair.Create(p, true)), StringComparer.Ordinal);
        }

        public Uri Address => new(_app.Urls.First() + "/");

        public Task Decided => _decided.Task;

        public ConcurrentQueue<string> UnexpectedPaths { get; } = new();

        public ICollection<string> PendingPaths => _pending.Keys;

        public static async Task<StandInCollector> StartAsync(params string[] expectedPaths)
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            WebApplication app = builder.Build();
            var collector = new StandInCollector(app, expectedPaths);
            app.MapPost("/{**path}", collector.Receive);
            await app.StartAsync();
            return collector;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();

        private IResult Receive(HttpContext context)
        {
            string path = context.Request.Path.Value ?? string.Empty;
            if (!_expected.Contains(path))
            {
                UnexpectedPaths.Enqueue(path);
                _decided.TrySetResult();
                return Results.NotFound();
            }

            _pending.TryRemove(path, out _);
            if (_pending.IsEmpty)
            {
                _decided.TrySetResult();
            }

            return Results.Ok();
        }
    }
}
