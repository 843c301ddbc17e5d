namespace ActorHost.Gateway.Management.Stats;

/// <summary>
/// One route's request numbers: totals by outcome and by status since start, plus a sliding window of
/// one-second buckets (counts by outcome, and a bounded sample of latencies per second for percentiles),
/// plus the counts since the last interval summary. Guarded by one lock: a few dictionary updates per
/// request.
/// </summary>
internal sealed class RouteRequestStats : Telemetry.IRouteKeyed
{
    /// <summary>Latency samples kept per second (reservoir sampling beyond this).</summary>
    internal const int SamplesPerSecond = 512;

    private readonly Lock _gate = new();
    private readonly Bucket[] _buckets;
    private readonly OutcomeTally _byOutcome = new();
    private readonly Dictionary<int, long> _byStatus = [];
    private readonly OutcomeTally _interval = new();
    // xorshift64 for the reservoir: a seeded System.Random runs the legacy generator, several times slower, on
    // every request past the per-second sample limit. Statistical quality beyond this is not needed here.
    private ulong _sampling = 0x9E37_79B9_7F4A_7C15;
    private long _total;
    private long _firstSecond = -1;

    public RouteRequestStats(string route, int windowSeconds)
    {
        Route = route;
        _buckets = new Bucket[windowSeconds];
        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket();
        }
    }

    public string Route { get; }

    public void Count(long second, string outcome, int status)
    {
        lock (_gate)
        {
            _total++;
            _byOutcome.Add(outcome);
            _byStatus[status] = _byStatus.GetValueOrDefault(status) + 1;
            _interval.Add(outcome);
            BucketAt(second).Outcomes.Add(outcome);
        }
    }

    public void Duration(long second, double milliseconds)
    {
        lock (_gate)
        {
            Bucket bucket = BucketAt(second);
            bucket.Seen++;
            if (bucket.Latencies.Count < SamplesPerSecond)
            {
                bucket.Latencies.Add(milliseconds);
            }
            else
            {
                _sampling ^= _sampling << 13;
                _sampling ^= _sampling >> 7;
                _sampling ^= _sampling << 17;
                long slot = (long)(_sampling % (ulong)bucket.Seen);
                if (slot < SamplesPerSecond)
                {
                    bucket.Latencies[(int)slot] = milliseconds;
                }
            }
        }
    }

    /// <summary>Counts by outcome since the previous call (empty when nothing happened).</summary>
    public Dictionary<string, long> TakeInterval()
    {
        lock (_gate)
        {
            Dictionary<string, long> taken = _interval.ToDictionary();
            _interval.Clear();
            return taken;
        }
    }

    public RouteStatsSnapshot Snapshot(long nowSecond)
    {
        lock (_gate)
        {
            var windowOutcomes = new OutcomeTally();
            var latencies = new List<double>();
            foreach (Bucket bucket in _buckets)
            {
                if (bucket.Second <= nowSecond - _buckets.Length || bucket.Second > nowSecond)
                {
                    continue;
                }

                windowOutcomes.AddAll(bucket.Outcomes);
                latencies.AddRange(bucket.Latencies);
            }

            long windowCount = windowOutcomes.Total;

            // A gateway that started 5 s ago has a 5 s window, not a 60 s one with 55 s of zeros.
            long span = _firstSecond < 0 ? _buckets.Length : Math.Clamp(nowSecond - _firstSecond + 1, 1, _buckets.Length);
            latencies.Sort();
            return new RouteStatsSnapshot(
                Route,
                _total,
                new SortedDictionary<string, long>(_byOutcome.ToDictionary(), StringComparer.Ordinal),
                new SortedDictionary<int, long>(_byStatus),
                new WindowSnapshot(
                    (int)span,
                    windowCount,
                    Math.Round(windowCount / (double)span, 3),
                    windowOutcomes.ToDictionary().ToDictionary(o => o.Key, o => Math.Round(o.Value / (double)span, 3), StringComparer.Ordinal),
                    new LatencySnapshot(latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99))));
        }
    }

    /// <summary>Nearest-rank percentile of sorted values (null when there are none).</summary>
    internal static double? Percentile(List<double> sorted, double quantile)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        int rank = (int)Math.Ceiling(quantile * sorted.Count);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)], 3);
    }

    private Bucket BucketAt(long second)
    {
        if (_firstSecond < 0)
        {
            _firstSecond = second;
        }

        Bucket bucket = _buckets[(int)(second % _buckets.Length)];
        if (bucket.Second != second)
        {
            bucket.Second = second;
            bucket.Seen = 0;
            bucket.Outcomes.Clear();
            bucket.Latencies.Clear();
        }

        return bucket;
    }

    private sealed class Bucket
    {
        public long Second { get; set; } = long.MinValue;

        public long Seen { get; set; }

        public OutcomeTally Outcomes { get; } = new();

        public List<double> Latencies { get; } = [];
    }
}

/// <summary>One route in <c>GET /stats</c>.</summary>
internal sealed record RouteStatsSnapshot(
    string Route,
    long Total,
    SortedDictionary<string, long> ByOutcome,
    SortedDictionary<int, long> ByStatus,
    WindowSnapshot Window);

/// <summary>The sliding window part of a route's stats.</summary>
internal sealed record WindowSnapshot(int Seconds, long Requests, double RatePerSecond, Dictionary<string, double> RateByOutcome, LatencySnapshot LatencyMs);

/// <summary>Latency percentiles over the window (milliseconds; null without samples).</summary>
internal sealed record LatencySnapshot(int Samples, double? P50, double? P90, double? P99);
