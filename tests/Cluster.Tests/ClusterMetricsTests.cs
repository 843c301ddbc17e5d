using System.Diagnostics.Metrics;
using ActorHost.Cluster.Coordination;

namespace ActorHost.Cluster.Tests;

public sealed class ClusterMetricsTests
{
    [Fact]
    public void Gauges_read_the_cluster_view_and_forwards_are_counted_by_route_and_result()
    {
        var view = new StaticView();
        int waiting = 3;
        using var metrics = new ClusterMetrics(null, view, () => waiting);
        var seen = new List<(string Name, double Value, string Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ClusterMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => seen.Add((i.Name, v, Describe(tags))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Add((i.Name, v, Describe(tags))));
        listener.Start();

        metrics.Forwarded("counter", "misdirected");
        listener.RecordObservableInstruments();

        Assert.Contains(("actorhost.cluster.forwards", 1d, "route=counter,result=misdirected"), seen);
        Assert.Contains(("actorhost.cluster.shards.served", 2d, ""), seen);
        Assert.Contains(("actorhost.cluster.shards.fenced", 1d, ""), seen);
        Assert.Contains(("actorhost.cluster.members", 2d, "status=up"), seen);
        Assert.Contains(("actorhost.cluster.members", 1d, "status=down"), seen);
        Assert.Contains(("actorhost.cluster.handoff.waiting", 3d, ""), seen);
    }

    private static string Describe(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }

        return string.Join(',', parts);
    }

    private sealed class StaticView : IClusterView
    {
        public string NodeId => "node-a";

        public MemberStatus Status => MemberStatus.Up;

        public bool IsUp => true;

        public int NumberOfShards => 4;

        public IReadOnlyList<ClusterMemberView> Members { get; } =
        [
            new("node-a", "http://a", MemberStatus.Up, DateTimeOffset.UnixEpoch, TimeSpan.Zero, 2, true),
            new("node-b", "http://b", MemberStatus.Up, DateTimeOffset.UnixEpoch, TimeSpan.Zero, 1, false),
            new("node-c", "http://c", MemberStatus.Down, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(9), 1, false),
        ];

        public IReadOnlyList<ShardLeaseView> Shards { get; } =
        [
            new(0, "node-a", 1, TimeSpan.FromSeconds(4), "serving"),
            new(1, "node-a", 1, TimeSpan.FromSeconds(4), "serving"),
            new(2, "node-b", 1, TimeSpan.FromSeconds(4), "remote"),
            new(3, "node-a", 2, TimeSpan.FromSeconds(-1), "fenced"),
        ];

        public event Action<ClusterEvent>? Changed
        {
            add { }
            remove { }
        }
    }
}
