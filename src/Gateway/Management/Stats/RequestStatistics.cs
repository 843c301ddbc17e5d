using ActorHost.Gateway.Telemetry;

namespace ActorHost.Gateway.Management.Stats;

/// <summary>
/// Per-route request counters and latency percentiles for <c>GET /stats</c>, the dashboard and the
/// per-second <c>requests</c> summary on <c>/events</c>. Fed only by the gateway's own request metrics
/// (through <see cref="Metrics.MeterAggregator"/>), i.e. by the one request-finished path, so it always agrees
/// with the log and <c>/metrics</c>.
/// </summary>
internal sealed class RequestStatistics
{
    private readonly TimeProvider _time;
    private readonly int _windowSeconds;
    private readonly PerRouteTable<RouteRequestStats> _routes;

    // Every request reads the clock twice here (count, then duration). On the system clock the seconds come from the
    // coarse monotonic tick count, a few nanoseconds a read, instead of the wall clock; only differences between these
    // seconds matter (which bucket, how long a window), so they need not be Unix seconds. Other clocks (tests) are read as given.
    private readonly bool _systemClock;

    public RequestStatistics(TimeProvider time, TimeSpan window)
    {
        _time = time;
        _systemClock = ReferenceEquals(time, TimeProvider.System);
        int windowSeconds = Math.Max(1, (int)Math.Round(window.TotalSeconds));
        _windowSeconds = windowSeconds;
        _routes = new PerRouteTable<RouteRequestStats>(route => new RouteRequestStats(route, windowSeconds));
    }

    public int WindowSeconds => _windowSeconds;

    public void Count(string route, string outcome, int status) => _routes.For(route).Count(Now(), outcome, status);

    public void Duration(string route, double seconds) => _routes.For(route).Duration(Now(), seconds * 1000);

    public IReadOnlyList<RouteStatsSnapshot> Snapshot()
    {
        long now = Now();
        return [.. _routes.Values.OrderBy(r => r.Route, StringComparer.Ordinal).Select(r => r.Snapshot(now))];
    }

    /// <summary>Per route: what finished since the previous call, with the current window figures; routes without traffic are left out.</summary>
    public IReadOnlyList<object> TakeInterval()
    {
        long now = Now();
        var summaries = new List<object>();
        foreach (RouteRequestStats route in _routes.Values.OrderBy(r => r.Route, StringComparer.Ordinal))
        {
            Dictionary<string, long> counts = route.TakeInterval();
            if (counts.Count == 0)
            {
                continue;
            }

            WindowSnapshot window = route.Snapshot(now).Window;
            summaries.Add(new
            {
                route = route.Route,
                count = counts.Values.Sum(),
                byOutcome = counts,
                ratePerSecond = window.RatePerSecond,
                latencyMs = window.LatencyMs,
            });
        }

        return summaries;
    }

    private long Now() => _systemClock ? Environment.TickCount64 / 1000 : _time.GetUtcNow().ToUnixTimeSeconds();
}
