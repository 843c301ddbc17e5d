using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ActorHost.Gateway.Telemetry;

/// <summary>
/// Every instrument of the gateway, in one place (meter <c>ActorHost.Gateway</c>). Request outcomes are
/// recorded here by the request-finished path only, so the numbers always match the log.
/// </summary>
internal sealed class GatewayMetrics
{
    /// <summary>The meter name, also used by the OTLP exporter and tests.</summary>
    public const string MeterName = "ActorHost.Gateway";

    /// <summary>The <c>via</c> tag of a request a client sent to this node.</summary>
    public const string ViaClient = "client";

    /// <summary>The <c>via</c> tag of a request this node served for another node of the cluster.</summary>
    public const string ViaForwarded = "forwarded";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    // Requests in progress, by route: counted with one interlocked operation each way and read when the metrics are
    // collected (an observable instrument), rather than two measurements per request through every listener.
    private readonly PerRouteTable<ActiveRequests> _active = new(static route => new ActiveRequests(route));
    private readonly Counter<long> _stuckHandlers;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>(
            "actorhost.gateway.requests", "{request}", "Requests finished, by route, outcome, status sent and via (client or forwarded).");
        _duration = meter.CreateHistogram<double>(
            "actorhost.gateway.request.duration", "s", "Time from the request's arrival to its finish.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        meter.CreateObservableUpDownCounter(
            "actorhost.gateway.requests.active", ObserveActive, "{request}", "Requests received and not yet finished, by route.");
        _stuckHandlers = meter.CreateCounter<long>(
            "actorhost.gateway.stuck_handlers", "{handler}", "Handlers abandoned as stuck after a timeout, by route.");
    }

    public void RequestStarted(string route) => Interlocked.Increment(ref _active.For(route).Count);

    /// <summary>Counts a finished request.</summary>
    /// <param name="route">The route name.</param>
    /// <param name="outcome">The outcome word.</param>
    /// <param name="status">The status really sent.</param>
    /// <param name="forwarded">
    /// True when this node served it for another node of the cluster (<c>via="forwarded"</c>). In a cluster the node
    /// a client reached counts the request too (<c>via="client"</c>), so a cluster-wide sum of client requests is
    /// the sum over <c>via="client"</c>, and a sum over everything would count forwarded requests twice.
    /// </param>
    /// <param name="duration">From arrival to finish.</param>
    public void RequestFinished(string route, string outcome, int status, bool forwarded, TimeSpan duration)
    {
        string via = forwarded ? ViaForwarded : ViaClient;
        var tags = new TagList
        {
            { "route", route },
            { "outcome", outcome },
            { "status", BoxedStatus(status) },
            { "via", via },
        };
        _requests.Add(1, tags);
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("via", via));
        Interlocked.Decrement(ref _active.For(route).Count);
    }

    private IEnumerable<Measurement<long>> ObserveActive()
    {
        foreach (ActiveRequests active in _active.Values)
        {
            yield return new Measurement<long>(Volatile.Read(ref active.Count), new KeyValuePair<string, object?>("route", active.Route));
        }
    }

    /// <summary>One route's requests in progress.</summary>
    private sealed class ActiveRequests(string route) : IRouteKeyed
    {
        public long Count;

        public string Route { get; } = route;
    }

    // A tag value is an object: boxing the status anew for every request would allocate each time.
    private static readonly object[] Statuses = [.. Enumerable.Range(0, 600).Select(static s => (object)s)];

    private static object BoxedStatus(int status) => (uint)status < (uint)Statuses.Length ? Statuses[status] : status;

    public void HandlerStuck(string route) => _stuckHandlers.Add(1, new KeyValuePair<string, object?>("route", route));
}
