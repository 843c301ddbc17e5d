namespace ActorHost.Gateway.Management.Metrics;

/// <summary>The Prometheus metric types we write.</summary>
internal enum MetricKind
{
    /// <summary>A monotonic total (<c>_total</c>).</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Cumulative buckets, sum and count.</summary>
    Histogram,
}

/// <summary>One metric family as collected: its exposition name, help, type and one point per label set.</summary>
/// <param name="Name">Exposition name (already sanitised; counters without the <c>_total</c> suffix).</param>
/// <param name="Help">Help text (unescaped).</param>
/// <param name="Kind">Type.</param>
/// <param name="Points">One per label set.</param>
internal sealed record MetricFamily(string Name, string Help, MetricKind Kind, IReadOnlyList<MetricPoint> Points);

/// <summary>One label set's value (counter, gauge) or histogram state.</summary>
/// <param name="Labels">Label names (sanitised) and values (raw), in a stable order.</param>
/// <param name="Value">Counter/gauge value, or the histogram sum.</param>
/// <param name="Count">Histogram observation count.</param>
/// <param name="Bounds">Histogram upper bounds, ascending (without +Inf).</param>
/// <param name="BucketCounts">Histogram per-bucket (non-cumulative) counts; one more than <paramref name="Bounds"/> (the +Inf bucket).</param>
internal sealed record MetricPoint(
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    double Value,
    long Count = 0,
    IReadOnlyList<double>? Bounds = null,
    IReadOnlyList<long>? BucketCounts = null);
