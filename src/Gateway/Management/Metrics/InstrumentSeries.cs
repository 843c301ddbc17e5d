using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace ActorHost.Gateway.Management.Metrics;

/// <summary>The aggregated state of one instrument: one point per label set.</summary>
internal sealed class InstrumentSeries(Instrument instrument, MetricKind kind, double[] bounds)
{
    private readonly ConcurrentDictionary<string, Point> _points = new(StringComparer.Ordinal);

    public Instrument Instrument { get; } = instrument;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        KeyValuePair<string, string>[] labels = Labels(tags);
        string key = string.Join('\u001f', labels.Select(l => l.Key + "=" + l.Value));
        Point point = _points.GetOrAdd(key, static (_, state) => new Point(state.labels, state.buckets), (labels, buckets: bounds.Length + 1));
        lock (point)
        {
            if (kind == MetricKind.Histogram)
            {
                point.Value += value;
                point.Count++;
                int bucket = Array.BinarySearch(bounds, value);
                // Upper bounds are inclusive (le): an exact hit belongs to that bucket.
                point.Buckets![bucket >= 0 ? bucket : ~bucket]++;
            }
            else if (Instrument.IsObservable)
            {
                // Observable instruments report the current value (a total or a level), not an increment.
                point.Value = value;
            }
            else
            {
                point.Value += value;
            }
        }
    }

    public void Clear() => _points.Clear();

    public MetricFamily ToFamily()
    {
        string name = PrometheusTextWriter.SanitizeName(Instrument.Name) + UnitSuffix(Instrument.Unit);
        var points = new List<MetricPoint>(_points.Count);
        foreach (Point point in _points.Values)
        {
            lock (point)
            {
                points.Add(kind == MetricKind.Histogram
                    ? new MetricPoint(point.Labels, point.Value, point.Count, bounds, [.. point.Buckets!])
                    : new MetricPoint(point.Labels, point.Value));
            }
        }

        points.Sort((a, b) => string.CompareOrdinal(string.Join(',', a.Labels), string.Join(',', b.Labels)));
        return new MetricFamily(name, Instrument.Description ?? Instrument.Name, kind, points);
    }

    private static string UnitSuffix(string? unit) => unit switch
    {
        "s" => "_seconds",
        "ms" => "_milliseconds",
        "By" => "_bytes",
        _ => string.Empty,
    };

    private static KeyValuePair<string, string>[] Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new KeyValuePair<string, string>[tags.Length];
        for (int i = 0; i < tags.Length; i++)
        {
            labels[i] = new(PrometheusTextWriter.SanitizeName(tags[i].Key, allowColon: false),
                Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty);
        }

        Array.Sort(labels, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return labels;
    }

    private sealed class Point(KeyValuePair<string, string>[] labels, int buckets)
    {
        public KeyValuePair<string, string>[] Labels { get; } = labels;

        public double Value { get; set; }

        public long Count { get; set; }

        public long[]? Buckets { get; } = new long[buckets];
    }
}
