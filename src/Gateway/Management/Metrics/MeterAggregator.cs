using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorHost.Gateway.Management.Stats;
using ActorHost.Gateway.Telemetry;
using ActorHost.Workers.Diagnostics;

namespace ActorHost.Gateway.Management.Metrics;

/// <summary>
/// A <see cref="MeterListener"/> over this gateway's own meters (<c>ActorHost.Gateway</c> and
/// <c>ActorHost.Workers</c> created by its <see cref="IMeterFactory"/>, so two gateways in one process never
/// mix): it sums counters, keeps histogram buckets and reads gauges when collected. <c>/metrics</c> is
/// written from it, and the request counter and duration are handed on to <see cref="RequestStatistics"/>,
/// so <c>/metrics</c>, <c>/stats</c>, the dashboard and the log all count the same requests.
/// </summary>
internal sealed class MeterAggregator : IDisposable
{
    private const string RequestsInstrument = "actorhost.gateway.requests";
    private const string DurationInstrument = "actorhost.gateway.request.duration";

    /// <summary>Used when an instrument gives no bucket advice (the OpenTelemetry defaults).</summary>
    private static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    /// <summary>The .NET runtime's built-in meter.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    private readonly MeterListener _listener = new();
    private readonly IMeterFactory _meterFactory;
    private readonly RequestStatistics _statistics;
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _series = new();
    private readonly Lock _collectGate = new();

    public MeterAggregator(IMeterFactory meterFactory, RequestStatistics statistics)
    {
        _meterFactory = meterFactory;
        _statistics = statistics;
        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.SetMeasurementEventCallback<long>((_, v, tags, state) => Record(v, tags, state));
        _listener.SetMeasurementEventCallback<int>((_, v, tags, state) => Record(v, tags, state));
        _listener.SetMeasurementEventCallback<double>((_, v, tags, state) => Record(v, tags, state));
        _listener.Start();
    }

    /// <summary>Every family, observable instruments read now; sorted by name for a stable output.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (_collectGate)
        {
            foreach (InstrumentSeries series in _series.Values.Where(s => s.Instrument.IsObservable))
            {
                series.Clear();
            }

            _listener.RecordObservableInstruments();
            return [.. _series.Values.Select(s => s.ToFamily()).OrderBy(f => f.Name, StringComparer.Ordinal)];
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        bool ours = instrument.Meter.Name is GatewayMetrics.MeterName or WorkerMetrics.MeterName or ActorHost.Cluster.ClusterMetrics.MeterName
            && ReferenceEquals(instrument.Meter.Scope, _meterFactory);

        // The runtime's own meter (GC collections and heap, allocated bytes, thread pool, working set; all observable,
        // read only when /metrics is scraped): what an operator needs to tell a slow worker from a busy GC.
        bool runtime = instrument.Meter.Name == RuntimeMeterName && instrument.IsObservable;
        if (!ours && !runtime)
        {
            return;
        }

        var series = new InstrumentSeries(instrument, KindOf(instrument), BoundsOf(instrument))
        {
            // Decided once here, not by comparing names on every measurement.
            FeedsStatistics = !ours || instrument.Meter.Name != GatewayMetrics.MeterName ? StatisticsFeed.None : instrument.Name switch
            {
                RequestsInstrument => StatisticsFeed.RequestCount,
                DurationInstrument => StatisticsFeed.RequestDuration,
                _ => StatisticsFeed.None,
            },
        };
        _series[instrument] = series;
        listener.EnableMeasurementEvents(instrument, series);
    }

    private void Record<T>(T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        where T : struct, IConvertible
    {
        if (state is not InstrumentSeries series)
        {
            return;
        }

        double number = value.ToDouble(System.Globalization.CultureInfo.InvariantCulture);
        series.Record(number, tags);
        switch (series.FeedsStatistics)
        {
            case StatisticsFeed.RequestCount:
                _statistics.Count(Tag(tags, "route"), Tag(tags, "outcome"), StatusTag(tags));
                break;
            case StatisticsFeed.RequestDuration:
                _statistics.Duration(Tag(tags, "route"), number);
                break;
        }
    }

    private static int StatusTag(ReadOnlySpan<KeyValuePair<string, object?>> tags) => TagValue(tags, "status") switch
    {
        int status => status,
        string text when int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int parsed) => parsed,
        _ => 0,
    };

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name) =>
        Convert.ToString(TagValue(tags, name), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    private static object? TagValue(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value;
            }
        }

        return null;
    }

    private static MetricKind KindOf(Instrument instrument)
    {
        Type definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        if (definition == typeof(Histogram<>))
        {
            return MetricKind.Histogram;
        }

        return definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) ? MetricKind.Counter : MetricKind.Gauge;
    }

    private static double[] BoundsOf(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds],
        Histogram<long> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
        Histogram<int> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
        _ => DefaultBounds,
    };
}
