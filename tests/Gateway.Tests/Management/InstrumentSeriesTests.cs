using System.Diagnostics.Metrics;
using ActorHost.Gateway.Management.Metrics;

namespace ActorHost.Gateway.Tests.Management;

/// <summary>The per-instrument aggregation behind <c>/metrics</c>: one point per tag set, whatever the tag order.</summary>
public sealed class InstrumentSeriesTests
{
    [Fact]
    public void The_same_tags_in_any_order_add_to_one_point_and_different_values_to_another()
    {
        using var meter = new Meter("series-test");
        Counter<long> counter = meter.CreateCounter<long>("jobs");
        var series = new InstrumentSeries(counter, MetricKind.Counter, []);

        series.Record(1, [new("route", "a"), new("status", 200)]);
        series.Record(2, [new("status", 200), new("route", "a")]);
        series.Record(5, [new("route", "a"), new("status", 500)]);

        MetricFamily family = series.ToFamily();
        Assert.Equal(2, family.Points.Count);
        MetricPoint ok = Assert.Single(family.Points, p => p.Labels.Contains(new("status", "200")));
        Assert.Equal(3, ok.Value);
        Assert.Equal([new("route", "a"), new("status", "200")], ok.Labels);
        Assert.Equal(5, Assert.Single(family.Points, p => p.Labels.Contains(new("status", "500"))).Value);
    }

    [Fact]
    public void Histogram_points_count_into_inclusive_buckets()
    {
        using var meter = new Meter("series-test");
        Histogram<double> histogram = meter.CreateHistogram<double>("latency", "s");
        var series = new InstrumentSeries(histogram, MetricKind.Histogram, [0.1, 1]);

        series.Record(0.1, [new("route", "x")]);
        series.Record(0.5, [new("route", "x")]);
        series.Record(7, [new("route", "x")]);

        MetricPoint point = Assert.Single(series.ToFamily().Points);
        Assert.Equal(3, point.Count);
        Assert.Equal([1L, 1L, 1L], point.BucketCounts);
        Assert.Equal(7.6, point.Value, 10);
    }

    [Fact]
    public void Equal_tags_in_other_objects_and_more_tag_sets_than_recent_slots_still_add_to_one_point_each()
    {
        using var meter = new Meter("series-test");
        Counter<long> counter = meter.CreateCounter<long>("jobs");
        var series = new InstrumentSeries(counter, MetricKind.Counter, []);
        int sets = InstrumentSeries.RecentSlots * 3;

        // Each round records every tag set twice: once with the same objects as before (the recent path) and once
        // with equal strings built anew and the tags reversed (the lookup), in an order that cycles the slots.
        string[] routes = [.. Enumerable.Range(0, sets).Select(i => $"route-{i}")];
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < sets; i++)
            {
                series.Record(1, [new("route", routes[i]), new("status", "200")]);
                series.Record(1, [new(new string("status".AsSpan()), new string("200".AsSpan())), new("route", new string(routes[i].AsSpan()))]);
            }
        }

        MetricFamily family = series.ToFamily();
        Assert.Equal(sets, family.Points.Count);
        Assert.All(family.Points, p => Assert.Equal(10, p.Value));
    }
}
