using System.Diagnostics.Metrics;
using ActorHost.Gateway.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Gateway.Tests.Telemetry;

/// <summary>The gauge of requests in progress: counted as requests start and finish, read when metrics are collected.</summary>
public sealed class GatewayMetricsTests
{
    [Fact]
    public void Requests_in_progress_are_read_by_route_when_the_metrics_are_collected()
    {
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        IMeterFactory meters = services.GetRequiredService<IMeterFactory>();
        var metrics = new GatewayMetrics(meters);
        var read = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "actorhost.gateway.requests.active" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => read[(string)tags[0].Value!] = value);
        listener.Start();

        metrics.RequestStarted("echo");
        metrics.RequestStarted("echo");
        metrics.RequestStarted("counter");
        metrics.RequestFinished("echo", "ok", 200, forwarded: false, TimeSpan.FromMilliseconds(1));
        listener.RecordObservableInstruments();

        Assert.Equal(1, read["echo"]);
        Assert.Equal(1, read["counter"]);

        metrics.RequestFinished("counter", "ok", 200, forwarded: false, TimeSpan.FromMilliseconds(1));
        listener.RecordObservableInstruments();

        Assert.Equal(0, read["counter"]);

        // The route is remembered by reference; the same name in another string is still the same route.
        metrics.RequestStarted(new string("echo".AsSpan()));
        listener.RecordObservableInstruments();

        Assert.Equal(2, read["echo"]);
        Assert.Equal(2, read.Count);
    }
}
