using System.Diagnostics.Metrics;
using ActorHost.Cluster.Coordination;

namespace ActorHost.Cluster;

/// <summary>
/// The cluster's instruments (meter <c>ActorHost.Cluster</c>): forwarded requests by result, and gauges for the
/// shards this node serves, the members by status and the requests waiting for a shard owner. Exported with
/// the others by <c>/metrics</c> and OTLP.
/// </summary>
public sealed class ClusterMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ActorHost.Cluster";

    private readonly Meter _meter;
    private readonly Counter<long> _forwards;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The host's meter factory (null = a private meter).</param>
    /// <param name="view">The cluster node's view (shards, members).</param>
    /// <param name="waiting">Reads the number of requests waiting for an owner.</param>
    public ClusterMetrics(IMeterFactory? meterFactory, IClusterView view, Func<int> waiting)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(waiting);
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _forwards = _meter.CreateCounter<long>("actorhost.cluster.forwards", "{request}",
            "Requests forwarded to their shard's owner, by route and result (completed, misdirected, unreachable).");
        _meter.CreateObservableGauge("actorhost.cluster.shards.served", () => view.Shards.Count(s => s.State == "serving"), "{shard}",
            "Shards this node serves now (valid lease).");
        _meter.CreateObservableGauge("actorhost.cluster.shards.fenced", () => view.Shards.Count(s => s.State == "fenced"), "{shard}",
            "Shards this node owns but does not serve because it could not renew their leases.");
        _meter.CreateObservableGauge("actorhost.cluster.members", () => MembersByStatus(view), "{member}",
            "Cluster members by status, as this node last read them.");
        _meter.CreateObservableGauge("actorhost.cluster.handoff.waiting", () => waiting(), "{request}",
            "Requests waiting for their shard to get a serving owner (hand-off, failover).");
    }

    /// <summary>Counts one forwarding attempt.</summary>
    /// <param name="route">The route.</param>
    /// <param name="result">completed, misdirected or unreachable.</param>
    public void Forwarded(string route, string result) =>
        _forwards.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("result", result));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> MembersByStatus(IClusterView view) =>
        view.Members.GroupBy(m => m.Status).Select(g =>
            new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("status", g.Key.ToString().ToLowerInvariant())));
}
